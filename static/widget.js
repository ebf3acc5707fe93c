// The help widget's page (/embed/g/NAME) tells the page that frames it how tall it is,
// so that /embed.js can size the frame without a scroll bar. Nothing else leaves it.
(function () {
  if (window.parent === window) return;
  var last = 0;
  function report() {
    var h = Math.ceil(document.documentElement.scrollHeight);
    if (h !== last) {
      last = h;
      window.parent.postMessage({ peerdesk: "height", height: h }, "*");
    }
  }
  window.addEventListener("load", report);
  if (window.ResizeObserver) new ResizeObserver(report).observe(document.body);
})();
