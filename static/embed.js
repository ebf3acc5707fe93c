// peerdesk's help widget loader. Put it where the widget should appear:
//   <script src="https://HOST/embed.js" data-group="NAME" data-topic="words" async></script>
// It inserts a titled <iframe> of https://HOST/embed/g/NAME?topic=... after itself and
// sizes it by the height the frame reports. It makes no other request.
(function () {
  var s = document.currentScript;
  if (!s || !s.getAttribute("data-group")) return;
  var origin = new URL(s.src, location.href).origin;
  var group = s.getAttribute("data-group");
  var topic = s.getAttribute("data-topic") || "";
  var lang = s.getAttribute("data-lang") || "";
  var q = [];
  if (topic) q.push("topic=" + encodeURIComponent(topic));
  if (lang) q.push("lang=" + encodeURIComponent(lang));
  var f = document.createElement("iframe");
  f.src = origin + "/embed/g/" + encodeURIComponent(group) + (q.length ? "?" + q.join("&") : "");
  f.title = s.getAttribute("data-title") || "Help community: " + group;
  f.className = "peerdesk-widget";
  f.style.width = "100%";
  f.style.maxWidth = s.getAttribute("data-width") || "32rem";
  f.style.height = "28rem";
  f.style.border = "1px solid #d5dae0";
  f.style.borderRadius = "6px";
  s.parentNode.insertBefore(f, s.nextSibling);
  window.addEventListener("message", function (e) {
    if (e.source !== f.contentWindow || e.origin !== origin) return;
    var d = e.data;
    if (d && d.peerdesk === "height" && typeof d.height === "number") {
      f.style.height = Math.max(160, Math.min(d.height + 2, 3000)) + "px";
    }
  });
})();
