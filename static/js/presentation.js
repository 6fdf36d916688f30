// The presentation of side by side. The arrow keys (and a clicker's page keys) follow the
// previous and next links; the clock keeps the current agenda item marked while the page
// stays open. Without this file the links work and the server marks the item at load.
(() => {
  const KEYS = { ArrowRight: "next", PageDown: "next", ArrowLeft: "prev", PageUp: "prev" };

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    if (event.target.closest("input, textarea, select, [contenteditable]")) {
      return;
    }
    const rel = KEYS[event.key];
    const link = rel && document.querySelector(`a[rel="${rel}"]`);
    if (link) {
      event.preventDefault();
      window.location.assign(link.href);
    }
  });

  const clock = document.querySelector("[data-clock]");
  const agenda = document.querySelector(".agenda[data-today]");
  if (!clock && !agenda) {
    return;
  }
  const pad = (number) => String(number).padStart(2, "0");

  const tick = () => {
    const now = new Date();
    const time = `${pad(now.getHours())}:${pad(now.getMinutes())}`;
    const today = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
    if (clock) {
      clock.textContent = time;
    }
    if (!agenda || agenda.dataset.today !== today) {
      return;
    }
    // The same rule as trainings/agenda.py current_index: "HH:MM" strings sort as times.
    let current = null;
    for (const item of agenda.querySelectorAll(":scope > li[data-starts]")) {
      const ends = item.dataset.ends;
      if (item.dataset.starts <= time && (!ends || time < ends)) {
        current = item;
      }
    }
    for (const item of agenda.children) {
      if (item === current) {
        item.setAttribute("aria-current", "time");
      } else {
        item.removeAttribute("aria-current");
      }
    }
    if (current) {
      current.scrollIntoView({ block: "nearest" });
    }
  };

  tick();
  window.setInterval(tick, 15000);
})();
