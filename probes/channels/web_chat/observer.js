// Installed in the chat's frame: report every message bubble once it has text, stamped with
// the page clock (performance.timeOrigin + performance.now(), ms since the epoch) at the moment
// the DOM changed. Returns the install time, or null when the container is missing.
([containerSel, agentSel, customerSel]) => {
  const clock = () => performance.timeOrigin + performance.now();
  const container = document.querySelector(containerSel);
  if (!container) return null;
  if (window.__sqaObserverInstalled) return clock();
  window.__sqaObserverInstalled = true;
  const seen = new WeakSet();
  const both = agentSel + "," + customerSel;
  function scan(initial) {
    const t = clock();
    for (const el of container.querySelectorAll(both)) {
      if (seen.has(el)) continue;
      const text = (el.innerText || el.textContent || "").trim();
      if (!text) continue; // typing indicator or streaming bubble: report when text arrives
      seen.add(el);
      const from = el.matches(agentSel) ? "agent" : "customer";
      window.__sqaChat({from: from, text: text, t: t, initial: initial});
    }
  }
  scan(true);
  new MutationObserver(() => scan(false)).observe(
    container, {childList: true, subtree: true, characterData: true});
  return clock();
}
