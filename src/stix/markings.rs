//! The five TLP 2.0 marking definitions, exactly as OASIS publishes them as common objects
//! (cti-stix-common-objects, `extension-definition-specifications/tlp-2.0`): fixed ids, created
//! 2022-10-01, the TLP 2.0 property extension. Platforms (MISP, OpenCTI) recognise them by id.

use super::object::Obj;
use serde_json::json;
use ttx_scenario::Tlp;

/// The TLP 2.0 marking extension's definition id.
pub const TLP2_EXTENSION: &str = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

pub fn id(tlp: Tlp) -> &'static str {
    match tlp {
        Tlp::Clear => "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
        Tlp::Green => "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
        Tlp::Amber => "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
        Tlp::AmberStrict => "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
        Tlp::Red => "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
    }
}

pub fn definition(tlp: Tlp) -> Obj {
    let value = match tlp {
        Tlp::Clear => "clear",
        Tlp::Green => "green",
        Tlp::Amber => "amber",
        Tlp::AmberStrict => "amber+strict",
        Tlp::Red => "red",
    };
    Obj::new("marking-definition", id(tlp))
        .set("created", "2022-10-01T00:00:00.000Z")
        .set("name", tlp.label())
        .set(
            "extensions",
            json!({ TLP2_EXTENSION: { "extension_type": "property-extension", "tlp_2_0": value } }),
        )
}

/// `object_marking_refs` for one marking.
pub fn refs(tlp: Tlp) -> serde_json::Value {
    json!([id(tlp)])
}
