// The leader's handwriting over the page (bút phê): pointer events on a canvas laid over the page image.
// Strokes are kept in page coordinates 0..1 and sent as JSON in the directive form's "overlays" field;
// a saved directive's strokes are drawn back over the page. No libraries, no network.
(function () {
  "use strict";
  var sheet = document.getElementById("sheet");
  var canvas = document.getElementById("overlay");
  var image = document.getElementById("page-image");
  if (!sheet || !canvas || !image) { return; }
  var field = document.getElementById("overlays");
  var editable = !!field;
  var strokes = [];
  var saved = [];
  try { saved = JSON.parse(sheet.getAttribute("data-overlays") || "[]"); } catch (e) { saved = []; }
  var current = null;
  var ctx = canvas.getContext("2d");

  function size() {
    canvas.width = image.clientWidth;
    canvas.height = image.clientHeight;
    draw();
  }
  function line(points, colour) {
    if (!points.length) { return; }
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2.5;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.beginPath();
    ctx.moveTo(points[0][0] * canvas.width, points[0][1] * canvas.height);
    for (var i = 1; i < points.length; i++) {
      ctx.lineTo(points[i][0] * canvas.width, points[i][1] * canvas.height);
    }
    if (points.length === 1) { ctx.lineTo(points[0][0] * canvas.width + 0.5, points[0][1] * canvas.height); }
    ctx.stroke();
  }
  function draw() {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    saved.forEach(function (page) { if (page.page === 1) { page.strokes.forEach(function (s) { line(s, "#c00"); }); } });
    strokes.forEach(function (s) { line(s, "#c00"); });
  }
  function point(event) {
    var box = canvas.getBoundingClientRect();
    var x = (event.clientX - box.left) / box.width;
    var y = (event.clientY - box.top) / box.height;
    return [Math.min(1, Math.max(0, Math.round(x * 10000) / 10000)), Math.min(1, Math.max(0, Math.round(y * 10000) / 10000))];
  }
  function store() {
    if (field) { field.value = JSON.stringify(strokes.length ? [{ page: 1, strokes: strokes }] : []); }
  }
  if (editable) {
    canvas.addEventListener("pointerdown", function (event) {
      canvas.setPointerCapture(event.pointerId);
      current = [point(event)];
      strokes.push(current);
      draw();
      event.preventDefault();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!current) { return; }
      current.push(point(event));
      draw();
      event.preventDefault();
    });
    var finish = function () { if (current) { current = null; store(); } };
    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", finish);
    var clear = document.getElementById("clear-overlay");
    if (clear) { clear.addEventListener("click", function () { strokes = []; store(); draw(); }); }
  } else {
    canvas.style.pointerEvents = "none";
  }
  if (image.complete) { size(); } else { image.addEventListener("load", size); }
  window.addEventListener("resize", size);
}());
