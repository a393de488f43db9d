// ttx live exercise: the little script every page shares. It keeps the exercise clock ticking,
// listens to the event stream (catching up from the last event seen after any interruption),
// and sends forms as JSON. Everything it shows comes rendered and escaped from the server.
"use strict";
(function () {
  var body = document.body;
  var base = body.dataset.base || "";
  var last = parseInt(body.dataset.last || "0", 10);
  var start = parseInt(body.dataset.start || "0", 10);

  // ---- the clock -------------------------------------------------------------------------
  var clock = { t: 0, running: false, speed: 1, end: 0, since: performance.now() };
  var clockEl = document.getElementById("clock-t");
  var wallEl = document.getElementById("clock-wall");
  var stateEl = document.getElementById("clock-state");
  var days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  var months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function two(n) { return (n < 10 ? "0" : "") + n; }
  function tplus(t) {
    var d = Math.floor(t / 86400), r = t % 86400;
    return "T+" + (d > 0 ? d + "d " : "") + two(Math.floor(r / 3600)) + ":" + two(Math.floor(r % 3600 / 60)) + ":" + two(r % 60);
  }
  function wall(t) {
    var x = new Date((start + t) * 1000);
    return days[x.getUTCDay()] + " " + x.getUTCDate() + " " + months[x.getUTCMonth()] + " " +
      x.getUTCFullYear() + " · " + two(x.getUTCHours()) + ":" + two(x.getUTCMinutes()) + " UTC";
  }
  function shownTime() {
    var t = clock.t;
    if (clock.running) t += Math.floor((performance.now() - clock.since) / 1000 * clock.speed);
    return Math.min(t, clock.end);
  }
  function drawClock() {
    if (!clockEl) return;
    var t = shownTime();
    clockEl.textContent = tplus(t);
    clockEl.dataset.t = String(t);
    if (wallEl) wallEl.textContent = wall(t);
  }
  function setClock(c) {
    clock = { t: c.t, running: c.running, speed: c.speed, end: c.end, since: performance.now() };
    if (stateEl) {
      stateEl.textContent = c.label;
      stateEl.className = "pill " + c.state;
    }
    body.dataset.clock = c.state;
    document.querySelectorAll("[data-when]").forEach(function (el) {
      var ok = el.dataset.when.split(" ").indexOf(c.state) >= 0;
      el.disabled = !ok;
      if (el.tagName !== "BUTTON") el.hidden = !ok;
    });
    drawClock();
  }
  if (clockEl && clockEl.dataset.clock) setClock(JSON.parse(clockEl.dataset.clock));
  setInterval(drawClock, 250);

  // ---- the event stream ------------------------------------------------------------------
  var linkEl = document.getElementById("link-state");
  function linkState(up) {
    if (!linkEl) return;
    linkEl.textContent = up ? "live" : "reconnecting…";
    linkEl.className = "link-state" + (up ? "" : " down");
  }
  function place(item) {
    var fresh = document.createElement("template");
    fresh.innerHTML = item.html;
    var node = fresh.content.firstElementChild;
    if (!node) return;
    var old = node.id ? document.getElementById(node.id) : null;
    if (old) { old.replaceWith(node); return; }
    var lane = document.querySelector('[data-lane="' + item.lane + '"]');
    if (!lane) return;
    lane.insertBefore(node, lane.firstElementChild);
    var count = document.querySelector('[data-count="' + item.lane + '"]');
    if (count) count.textContent = String(lane.children.length);
  }
  if (base && window.EventSource) {
    var es = new EventSource(base + "/events?after=" + last);
    es.onopen = function () { linkState(true); };
    es.onerror = function () { linkState(false); };
    es.addEventListener("item", function (e) {
      var item = JSON.parse(e.data);
      place(item);
      if (e.lastEventId) body.dataset.last = e.lastEventId;
    });
    es.addEventListener("status", function (e) {
      var s = JSON.parse(e.data);
      var el = document.getElementById(s.target);
      if (el) el.outerHTML = s.html;
    });
    es.addEventListener("clock", function (e) { setClock(JSON.parse(e.data)); });
    es.addEventListener("panel", function (e) {
      var p = JSON.parse(e.data);
      var el = document.getElementById(p.id);
      if (el) el.innerHTML = p.html;
    });
  }

  // ---- sending ---------------------------------------------------------------------------
  function post(path, data, result) {
    if (result) { result.textContent = "sending…"; result.className = "result"; }
    return fetch(base + path, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(data)
    }).then(function (r) {
      return r.json().catch(function () { return { error: "the server answered " + r.status }; })
        .then(function (j) { return { ok: r.ok, body: j }; });
    }).then(function (res) {
      if (result) {
        result.textContent = res.ok ? (res.body.notice || "done") : (res.body.error || "refused");
        result.className = "result " + (res.ok ? "ok" : "bad");
      }
      return res;
    }, function () {
      if (result) { result.textContent = "not sent: the server cannot be reached — try again when it is back"; result.className = "result bad"; }
      return { ok: false, body: {} };
    });
  }
  function formData(form) {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.closest("[hidden]")) return;
      if (el.type === "checkbox") { data[el.name] = el.checked; return; }
      if (el.multiple) {
        data[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
        return;
      }
      data[el.name] = el.value;
    });
    return data;
  }
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.dataset.api) return;
    e.preventDefault();
    var result = form.querySelector(".result");
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    post(form.dataset.api, formData(form), result).then(function (res) {
      if (button) button.disabled = false;
      if (res.ok && !form.dataset.keepAll) {
        clearForm(form);
        if (form === compose) showKindFields();
      }
    });
  });
  document.addEventListener("click", function (e) {
    var b = e.target.closest("button[data-post]");
    if (b) {
      e.preventDefault();
      var data = b.dataset.body ? JSON.parse(b.dataset.body) : {};
      var from = b.dataset.with ? document.getElementById(b.dataset.with) : null;
      if (from) data[from.name] = from.value;
      var result = document.getElementById(b.dataset.result || "controls-result");
      post(b.dataset.post, data, result);
      return;
    }
    var arm = e.target.closest("button[data-arm]");
    if (arm) {
      e.preventDefault();
      var target = document.getElementById(arm.dataset.arm);
      if (target) target.hidden = !target.hidden;
      return;
    }
    var reply = e.target.closest("button[data-reply]");
    if (reply) {
      e.preventDefault();
      fillCompose(JSON.parse(reply.dataset.reply), reply.dataset.label || "");
    }
  });

  // Back to the form as the server rendered it, hidden reply fields included.
  function clearForm(form) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.tagName === "SELECT") {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = o.defaultSelected; });
      } else if (el.type === "checkbox") {
        el.checked = el.defaultChecked;
      } else if (el.dataset.reset !== undefined) {
        el.value = "";
      } else if (el.tagName === "TEXTAREA" || el.tagName === "INPUT") {
        if (!el.dataset.keep) el.value = el.defaultValue;
      }
    });
    var ctx = form.querySelector(".reply-to");
    if (ctx) ctx.hidden = true;
  }

  // ---- composing -------------------------------------------------------------------------
  var compose = document.getElementById("compose");
  function showKindFields() {
    if (!compose) return;
    var kind = compose.elements.kind.value;
    compose.querySelectorAll("[data-kinds]").forEach(function (el) {
      el.hidden = el.dataset.kinds.split(" ").indexOf(kind) < 0;
    });
  }
  function fillCompose(values, label) {
    if (!compose) return;
    clearForm(compose);
    Object.keys(values).forEach(function (k) {
      var el = compose.elements[k];
      if (el) el.value = values[k];
    });
    showKindFields();
    var ctx = compose.querySelector(".reply-to");
    if (ctx) { ctx.hidden = !label; ctx.textContent = label; }
    compose.scrollIntoView({ block: "start" });
    var text = compose.elements.text;
    if (text) text.focus();
  }
  if (compose) {
    compose.elements.kind.addEventListener("change", showKindFields);
    compose.addEventListener("reset", function (e) {
      e.preventDefault();
      clearForm(compose);
      showKindFields();
    });
    showKindFields();
  }
})();
