/* The course's explorers: figures the reader moves with a slider (lecturelib.figures.explorers).
 *
 * Every state of an explorer was computed at build time by lecturelib and travels in the
 * <script type="application/json"> inside its element. This script only looks the current
 * state up and draws it as SVG: no maths of the lecture is repeated here. The markup and the
 * table format are described in lecturelib/figures/_explorer.py. No framework, no animation.
 */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var SUP = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };
  var M = { left: 52, right: 14, top: 30, bottom: 44 };

  function bytes(b64) {
    var s = atob(b64), out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }

  /* Quantised codes -> values (NaN for "no point"), as lecturelib's decode(). */
  function decode(info, b64) {
    var raw = bytes(b64), wide = info.b === 16, n = wide ? raw.length / 2 : raw.length;
    var view = new DataView(raw.buffer), top = Math.pow(2, info.b) - 2, out = new Float64Array(n);
    for (var i = 0; i < n; i++) {
      var q = wide ? view.getUint16(2 * i, true) : raw[i];
      out[i] = q > top ? NaN : info.lo + (q * (info.hi - info.lo)) / top;
    }
    return out;
  }

  function floats(b64) {
    var raw = bytes(b64), view = new DataView(raw.buffer), out = [];
    for (var i = 0; i < raw.length; i += 8) out.push(view.getFloat64(i, true));
    return out;
  }

  function sup(n) {
    return String(n).split("").map(function (c) { return SUP[c]; }).join("");
  }

  /* Python's repr() of a float, from JavaScript's shortest round-trip digits. */
  function pyRepr(x) {
    if (x === 0) return 1 / x < 0 ? "-0.0" : "0.0";
    var s = String(Math.abs(x)), k = s.indexOf("e"), digits, e;
    if (k >= 0) {
      digits = s.slice(0, k).replace(".", "");
      e = Number(s.slice(k + 1));
    } else {
      var dot = s.indexOf("."), whole = dot < 0 ? s : s.slice(0, dot);
      var all = whole + (dot < 0 ? "" : s.slice(dot + 1)), lead = all.match(/^0*/)[0].length;
      digits = all.slice(lead).replace(/0+$/, "") || "0";
      e = whole.length - 1 - lead;
    }
    var sign = x < 0 ? "-" : "";
    if (e >= -4 && e < 16) {
      if (e < 0) return sign + "0." + "0".repeat(-e - 1) + digits;
      var pad = digits + "0".repeat(Math.max(0, e + 1 - digits.length));
      return sign + pad.slice(0, e + 1) + "." + (pad.slice(e + 1) || "0");
    }
    var mant = digits[0] + (digits.length > 1 ? "." + digits.slice(1) : "");
    return sign + mant + "e" + (e < 0 ? "-" : "+") + (Math.abs(e) < 10 ? "0" : "") + Math.abs(e);
  }

  /* A number for people, as lecturelib.figures._explorer.human(). */
  function human(v, d) {
    if (v === 0) return "0";
    var a = Math.abs(v), e = Math.floor(Math.log10(a)), sign = v < 0 ? "−" : "";
    if (Number((a / Math.pow(10, e)).toFixed(d - 1)) >= 10) e += 1;
    if (e >= -3 && e < 5) return sign + a.toFixed(Math.max(d - 1 - e, 0));
    return sign + (a / Math.pow(10, e)).toFixed(d - 1) + " × 10" + sup(e);
  }

  function el(name, attrs, parent, text) {
    var node = document.createElementNS(NS, name);
    for (var key in attrs) node.setAttribute(key, attrs[key]);
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  function fmt(v) {
    return Math.round(v * 10) / 10;
  }

  function setup(root) {
    var spec = JSON.parse(root.querySelector("script.explorer-data").textContent);
    var inputs = spec.controls.map(function (c) {
      return root.querySelector('input[name="' + c.name + '"]');
    });
    var readouts = spec.readouts.map(function (r) {
      var values = r.kind === "float" ? floats(r.d) : r.values;
      return { spec: r, values: values, out: root.querySelector('output[name="' + r.name + '"]') };
    });
    var svgs = root.querySelectorAll("svg.explorer-panel");
    var panels = spec.panels.map(function (p) {
      return {
        spec: p,
        series: p.series.map(function (s) {
          var d = { spec: s };
          if (s.xy) d.xy = s.xy;
          ["x", "y", "base"].forEach(function (key) {
            if (s[key]) d[key] = { per: s[key].per_state, v: decode(s[key], s[key].d) };
          });
          return d;
        }),
      };
    });

    function state() {
      var index = 0;
      spec.controls.forEach(function (c, j) {
        var i = c.kind === "checkbox" ? (inputs[j].checked ? 1 : 0)
          : Math.round((parseFloat(inputs[j].value) - c.lo) / c.step);
        index = index * c.count + Math.min(Math.max(i, 0), c.count - 1);
      });
      return index;
    }

    function coords(d, key, st) {
      var block = d[key], n = block.v.length, total = spec.controls.reduce(function (a, c) {
        return a * c.count;
      }, 1);
      if (!block.per) return block.v;
      var k = n / total;
      return block.v.subarray(st * k, st * k + k);
    }

    function points(d, st) {
      if (d.xy) {
        var both = decode({ b: 16, lo: 0, hi: 65534 }, d.xy.d[st]), xs = [], ys = [];
        for (var i = 0; i < both.length; i += 2) {
          var qx = both[i], qy = both[i + 1];
          xs.push(isNaN(qx) ? NaN : d.xy.x.lo + (qx * (d.xy.x.hi - d.xy.x.lo)) / 65534);
          ys.push(isNaN(qy) ? NaN : d.xy.y.lo + (qy * (d.xy.y.hi - d.xy.y.lo)) / 65534);
        }
        return [xs, ys, null];
      }
      return [coords(d, "x", st), coords(d, "y", st), d.base ? coords(d, "base", st) : null];
    }

    function draw(svg, panel, st, id) {
      var p = panel.spec, w = Math.max(svg.getBoundingClientRect().width, 240);
      var h = Math.round(Math.min(Math.max(w * 0.62, 210), 300));
      var pw = w - M.left - M.right, ph = h - M.top - M.bottom;
      var sx = function (v) { return M.left + ((v - p.x.lo) / (p.x.hi - p.x.lo)) * pw; };
      var sy = function (v) { return M.top + ph - ((v - p.y.lo) / (p.y.hi - p.y.lo)) * ph; };
      while (svg.firstChild) svg.removeChild(svg.firstChild);
      svg.setAttribute("viewBox", "0 0 " + w + " " + h);
      svg.setAttribute("height", h);
      var defs = el("defs", {}, svg), pad = 7; /* markers may overhang the plot by their radius */
      el("rect", { x: M.left, y: M.top, width: pw, height: ph }, el("clipPath", { id: id }, defs));
      el("rect", { x: M.left - pad, y: M.top - pad, width: pw + 2 * pad, height: ph + 2 * pad },
        el("clipPath", { id: id + "-dots" }, defs));
      var axes = el("g", { class: "explorer-axes" }, svg);
      p.x.ticks.forEach(function (t) {
        el("line", { x1: sx(t[0]), x2: sx(t[0]), y1: M.top, y2: M.top + ph, class: "grid" }, axes);
        el("text", { x: sx(t[0]), y: M.top + ph + 16, "text-anchor": "middle" }, axes, t[1]);
      });
      p.y.ticks.forEach(function (t) {
        el("line", { x1: M.left, x2: M.left + pw, y1: sy(t[0]), y2: sy(t[0]), class: "grid" }, axes);
        el("text", { x: M.left - 6, y: sy(t[0]) + 4, "text-anchor": "end" }, axes, t[1]);
      });
      el("path", { d: "M" + M.left + " " + M.top + "V" + (M.top + ph) + "H" + (M.left + pw), class: "axis" }, axes);
      el("text", { x: M.left + pw / 2, y: h - 6, "text-anchor": "middle" }, axes, p.x.label);
      el("text", { transform: "translate(13 " + (M.top + ph / 2) + ") rotate(-90)", "text-anchor": "middle" }, axes, p.y.label);
      el("text", { x: M.left, y: 16, class: "title" }, axes, p.title);
      var plot = el("g", { "clip-path": "url(#" + id + ")" }, svg);
      var dotted = el("g", { "clip-path": "url(#" + id + "-dots)" }, svg);
      p.notes.forEach(function (n) {
        el("text", { x: sx(n[0]), y: sy(n[1]) - 3, "text-anchor": "middle", class: "note" }, plot, n[2]);
      });
      panel.series.forEach(function (d) {
        var s = d.spec, xyz = points(d, st), xs = xyz[0], ys = xyz[1], base = xyz[2];
        var line = "", dots = "", r = s.size, pen = false;
        for (var i = 0; i < xs.length; i++) {
          var x = xs[i], y = ys[i];
          if (isNaN(x) || isNaN(y)) { pen = false; continue; }
          var X = fmt(sx(x)), Y = fmt(sy(y));
          if (s.kind === "stems") line += "M" + X + " " + fmt(sy(base[i])) + "V" + Y;
          else if (s.kind !== "points") { line += (pen ? "L" : "M") + X + " " + Y; pen = true; }
          if (s.kind === "points" || s.kind === "linepoints") {
            dots += "M" + fmt(X - r) + " " + Y + "a" + r + " " + r + " 0 1 0 " + 2 * r + " 0a" + r + " " + r + " 0 1 0 " + -2 * r + " 0";
          }
        }
        var color = s.color === "ink" ? null : spec.colors[s.color];
        var ink = s.color === "ink" ? { class: "ink" } : {};
        if (s.kind !== "points") {
          var attrs = { d: line || "M0 0", fill: "none", "stroke-width": s.kind === "linepoints" ? 1 : s.width };
          if (color) attrs.stroke = color;
          if (s.dash) attrs["stroke-dasharray"] = "5 4";
          if (s.alpha < 1) attrs["stroke-opacity"] = s.alpha;
          el("path", Object.assign(attrs, ink), plot);
        }
        if (s.kind === "points" || s.kind === "linepoints") {
          var dot = { d: dots || "M0 0", class: "dots" + (ink.class ? " ink" : "") };
          if (color) dot.fill = color;
          el("path", dot, dotted);
        }
      });
    }

    var summaryOf = function (texts) {
      return spec.summary.replace(/\{(\w+)\}/g, function (_, name) { return texts[name]; });
    };

    function update() {
      var st = state(), texts = {};
      spec.controls.forEach(function (c, j) {
        texts[c.name] = c.kind === "checkbox" ? c.texts[inputs[j].checked ? 1 : 0] : inputs[j].value;
        var shown = inputs[j].parentNode.querySelector(".explorer-current");
        if (shown) shown.textContent = inputs[j].value;
      });
      readouts.forEach(function (r) {
        var v = r.values[st], s = r.spec, data, text;
        if (s.kind === "float") { data = pyRepr(v); text = human(v, s.digits); }
        else if (s.kind === "int") { data = String(v); text = data; }
        else { data = s.keys[v]; text = s.texts[v]; }
        r.out.setAttribute("data-value", data);
        r.out.textContent = text;
        texts[s.name] = text;
      });
      var summary = summaryOf(texts);
      panels.forEach(function (panel, i) {
        draw(svgs[i], panel, st, "explorer-" + spec.id + "-clip-" + i);
        svgs[i].setAttribute("aria-label", panel.spec.title + "：" + summary);
      });
    }

    inputs.forEach(function (input) {
      input.addEventListener("input", update);
      input.addEventListener("change", update);
    });
    root.hidden = false;
    update();
    if (window.ResizeObserver) {
      var width = 0;
      new ResizeObserver(function () {
        var now = root.getBoundingClientRect().width;
        if (Math.abs(now - width) > 1) { width = now; update(); }
      }).observe(root);
    }
  }

  function init() {
    document.querySelectorAll("[data-explorer]").forEach(setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
