// impactlab worksheet: autosave, a local copy of unsaved text, and help with conflicts.
// Every form also works without this file: it then posts the whole page and redirects.
(() => {
  "use strict";

  const DELAY = 1500;
  const PREFIX = "impactlab:draft:";
  const status = () => document.getElementById("ws-status");
  const msg = (name) => (status() && status().dataset["msg" + name]) || "";
  const forms = new WeakMap(); // form -> {timer, inFlight, dirty}

  function announce(text, kind) {
    const el = status();
    if (!el) return;
    el.textContent = text;
    el.className = "ws-status" + (kind ? " ws-status--" + kind : "");
  }

  function stateOf(form) {
    let state = forms.get(form);
    if (!state) {
      // A form that comes back with errors or a conflict holds text that is not saved yet.
      state = { timer: null, inFlight: false, dirty: form.hasAttribute("data-unsaved") };
      forms.set(form, state);
    }
    return state;
  }

  function storageKey(form, field) {
    return PREFIX + form.getAttribute("action") + "|" + field.name;
  }

  function keep(form, field) {
    if (!field.name || field.type === "hidden" || field.type === "checkbox") return;
    try {
      localStorage.setItem(storageKey(form, field), JSON.stringify({ value: field.value, at: Date.now() }));
    } catch (e) { /* storage full or disabled: autosave still works */ }
  }

  function forget(form) {
    const action = form.getAttribute("action");
    try {
      Object.keys(localStorage)
        .filter((key) => key.startsWith(PREFIX + action + "|"))
        .forEach((key) => localStorage.removeItem(key));
    } catch (e) { /* ignore */ }
  }

  function rowStatus(form, text) {
    const el = form.querySelector(".ws-row-status");
    if (el) el.textContent = text;
  }

  // A form's CSRF token is masked anew in every answer: leave it out when comparing.
  function signature(el) {
    const copy = el.cloneNode(true);
    copy.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach((input) => input.remove());
    copy.querySelectorAll("details").forEach((details) => details.removeAttribute("open"));
    copy.removeAttribute("data-hx-swap-oob");
    return copy.outerHTML;
  }

  // A disclosure that is open (the step menu on a phone) stays open when it is replaced.
  function keepOpen(current, fresh) {
    const open = new Set(Array.from(current.querySelectorAll("details[open]"), (d) => d.className));
    fresh.querySelectorAll("details").forEach((details) => {
      if (open.has(details.className)) details.setAttribute("open", "");
    });
  }

  // After a save: the hints, the step states and the step's own state as they are now.
  // Only what changed is replaced, so nothing moves under the person's hands.
  function showStepStatus(html) {
    if (!html) return;
    const template = document.createElement("template");
    template.innerHTML = html;
    Array.from(template.content.children).forEach((fresh) => {
      const current = fresh.id && document.getElementById(fresh.id);
      if (!current || signature(current) === signature(fresh)) return;
      fresh.removeAttribute("data-hx-swap-oob");
      keepOpen(current, fresh);
      current.replaceWith(fresh);
      if (window.htmx) window.htmx.process(fresh);
    });
  }

  document.addEventListener("htmx:oobBeforeSwap", (event) => {
    const current = event.detail.target;
    const fresh = event.detail.fragment && event.detail.fragment.firstElementChild;
    if (current && fresh) keepOpen(current, fresh);
  });

  function csrf(form) {
    const input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function clearErrors(form) {
    form.querySelectorAll("[aria-invalid=true]").forEach((el) => el.removeAttribute("aria-invalid"));
    form.querySelectorAll(".ws-js-error").forEach((el) => el.remove());
  }

  function showErrors(form, errors) {
    clearErrors(form);
    const texts = [];
    Object.entries(errors).forEach(([id, list]) => {
      const input = document.getElementById(id);
      const text = list.join(" ");
      texts.push(text);
      if (input) {
        input.setAttribute("aria-invalid", "true");
        const small = document.createElement("small");
        small.className = "field-error ws-js-error";
        small.textContent = text;
        input.insertAdjacentElement("afterend", small);
      }
    });
    announce(msg("Invalid") + " " + texts.join(" "), "error");
  }

  function schedule(form, delay) {
    const state = stateOf(form);
    state.dirty = true;
    clearTimeout(state.timer);
    state.timer = setTimeout(() => save(form), delay);
  }

  const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // Save the row if something changed; resolves to true when what is typed is saved.
  async function save(form) {
    const state = stateOf(form);
    clearTimeout(state.timer);
    // One save at a time per row: the next one must carry the version this one returns.
    while (state.inFlight) await pause(100);
    if (!state.dirty) return true;
    state.inFlight = true;
    state.dirty = false;
    announce(msg("Saving"));
    try {
      return await send(form, state);
    } finally {
      // Only now: the next save of this row needs the version this response carried.
      state.inFlight = false;
    }
  }

  async function send(form, state) {
    let response;
    try {
      response = await fetch(form.getAttribute("action"), {
        method: "POST",
        body: new FormData(form),
        headers: { "X-Autosave": "1", "X-CSRFToken": csrf(form) },
        credentials: "same-origin",
      });
    } catch (e) {
      state.dirty = true;
      announce(msg("Offline"), "error");
      return false;
    }
    if (response.ok) {
      const data = await response.json();
      const version = form.querySelector("input[name$=version]");
      if (version) version.value = data.version;
      clearErrors(form);
      if (!state.dirty) forget(form);
      showStepStatus(data.step_status);
      announce(msg("Saved") + " " + data.saved_at_display, "ok");
      rowStatus(form, msg("Saved") + " " + data.saved_at_display);
      return !state.dirty;
    }
    state.dirty = true;
    if (response.status === 422) {
      showErrors(form, (await response.json()).errors);
    } else if (response.status === 409) {
      // The row comes back with both versions; its form is marked unsaved (data-unsaved).
      const row = form.closest(".ws-row");
      const html = await response.text();
      if (row) {
        row.outerHTML = html;
        if (window.htmx) window.htmx.process(document.body);
      }
      announce(msg("Conflict"), "error");
    } else {
      announce(msg("Error"), "error");
    }
    return false;
  }

  // Save every changed form inside an element; true when all of them are saved.
  async function saveAll(root) {
    const forms = Array.from(root.querySelectorAll("form[data-autosave]"));
    const saved = await Promise.all(forms.map((form) => save(form)));
    return saved.every(Boolean);
  }

  function autosaveForm(target) {
    const form = target.closest && target.closest("form[data-autosave]");
    return form && target.name && target.name !== "csrfmiddlewaretoken" ? form : null;
  }

  document.addEventListener("input", (event) => {
    const form = autosaveForm(event.target);
    if (!form) return;
    keep(form, event.target);
    schedule(form, DELAY);
  });

  // A choice that names an empty text field (a result's measurement moment its period):
  // the field shows what the server would fill in anyway.
  function fillEmpty(select) {
    const fills = select.dataset && select.dataset.fillsEmpty;
    if (!fills || !select.form || !select.value) return;
    const name = select.name.replace(/[^-]+$/, fills);
    const field = select.form.elements.namedItem(name);
    if (field && !field.value.trim()) {
      field.value = select.options[select.selectedIndex].text;
      keep(select.form, field);
    }
  }

  document.addEventListener("change", (event) => {
    fillEmpty(event.target);
    const form = autosaveForm(event.target);
    if (form) schedule(form, 0);
  });

  document.addEventListener("focusout", (event) => {
    const form = autosaveForm(event.target);
    if (form && stateOf(form).dirty) save(form);
  });

  // The row's Save button: save through the same queue as autosave. "Save and close" then
  // shows the row as text again (without JavaScript both buttons post the form).
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.matches("form[data-autosave]")) return;
    if (event.submitter && event.submitter.hasAttribute("formaction")) return;
    event.preventDefault();
    const closing = event.submitter && event.submitter.hasAttribute("data-done");
    // Nothing new to send (leaving the field may already have saved it): a second save of
    // the same text would only add a version.
    const row = form.closest(".ws-row");
    // Closing replaces the row with its sub-rows: save what is typed in any of them first.
    const saved = closing && row ? await saveAll(row) : await save(form);
    if (closing && saved && row && window.htmx && form.dataset.viewUrl) {
      window.htmx.ajax("GET", form.dataset.viewUrl, { target: row, swap: "outerHTML" });
    }
  });

  // Conflict panel: take the saved text into the field, or drop the local copy.
  document.addEventListener("click", (event) => {
    const use = event.target.closest("[data-use-value]");
    if (use) {
      const field = document.getElementById(use.dataset.useValue);
      if (field) {
        field.value = use.dataset.value;
        field.dispatchEvent(new Event("input", { bubbles: true }));
        field.focus();
      }
      return;
    }
    const discard = event.target.closest("[data-discard-local]");
    if (discard) {
      const form = document.querySelector(`form[action="${CSS.escape(discard.dataset.discardLocal)}"]`);
      if (form) forget(form);
    }
  });

  // htmx: conflicts (409) and form errors (422) come with a partial to show.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const code = event.detail.xhr.status;
    if (code === 409 || code === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Before htmx replaces rows (edit, add, move, remove), save what is typed in them and wait
  // for it, so that what comes back includes it; if that fails, the request waits too.
  document.addEventListener("htmx:confirm", (event) => {
    // A move, remove or add re-renders the whole list: save the forms open anywhere in it.
    const scope = event.target.closest && (event.target.closest(".ws-list") || event.target.closest(".ws-row"));
    if (!scope) return;
    // A new row that was typed but not added yet has no autosave: ask before it goes.
    const target = event.detail.target;
    const own = event.target.closest("form");
    const unsent = target && Array.from(target.querySelectorAll("form.ws-form--new")).some(
      (form) => form !== own && Array.from(form.elements).some(
        (field) => (field.tagName === "TEXTAREA" || field.type === "text") && field.value.trim(),
      ),
    );
    if (unsent && !window.confirm(msg("Unsent"))) {
      event.preventDefault();
      return;
    }
    const pending = Array.from(scope.querySelectorAll("form[data-autosave]")).filter((form) => {
      const state = stateOf(form);
      return state.dirty || state.inFlight;
    });
    if (!pending.length) return;
    event.preventDefault();
    saveAll(scope).then((saved) => {
      if (!saved) return;
      const question = event.detail.question;
      if (question && !window.confirm(question)) return;
      event.detail.issueRequest(true);
    });
  });

  window.addEventListener("beforeunload", (event) => {
    document.querySelectorAll("form[data-autosave]").forEach((form) => {
      const state = stateOf(form);
      if (state.dirty || state.inFlight) event.preventDefault();
    });
  });

  // After a network error or a closed tab: offer text that never reached the server.
  function offerLocalCopies(root) {
    root.querySelectorAll("form[data-autosave]").forEach((form) => {
      Array.from(form.elements).forEach((field) => {
        if (!field.name || field.type === "hidden" || field.type === "checkbox") return;
        let stored;
        try {
          stored = JSON.parse(localStorage.getItem(storageKey(form, field)) || "null");
        } catch (e) {
          stored = null;
        }
        if (!stored) return;
        if (stored.value === field.value) {
          localStorage.removeItem(storageKey(form, field));
          return;
        }
        const label = form.querySelector(`label[for="${CSS.escape(field.id)}"]`);
        const box = document.createElement("div");
        box.className = "ws-local-copy";
        box.setAttribute("role", "alert");
        const text = document.createElement("p");
        text.textContent = msg("RestoreOffer") + " " + (label ? label.textContent.trim() : field.name);
        const quote = document.createElement("blockquote");
        quote.textContent = stored.value;
        const restore = document.createElement("button");
        restore.type = "button";
        restore.className = "small";
        restore.textContent = msg("Restore");
        const drop = document.createElement("button");
        drop.type = "button";
        drop.className = "small secondary outline";
        drop.textContent = msg("Discard");
        restore.addEventListener("click", () => {
          field.value = stored.value;
          box.remove();
          field.dispatchEvent(new Event("input", { bubbles: true }));
          save(form);
        });
        drop.addEventListener("click", () => {
          localStorage.removeItem(storageKey(form, field));
          box.remove();
        });
        box.append(text, quote, restore, drop);
        field.insertAdjacentElement("beforebegin", box);
      });
    });
  }

  // A link to a row in a folded group (a hint, a comment's row) unfolds the group first.
  function revealTarget() {
    let id = "";
    try {
      id = decodeURIComponent(window.location.hash.slice(1));
    } catch (e) { /* a malformed hash: nothing to reveal */ }
    const target = id && document.getElementById(id);
    let details = target && target.closest("details");
    while (details) {
      details.open = true;
      details = details.parentElement && details.parentElement.closest("details");
    }
    if (target) target.scrollIntoView();
  }
  window.addEventListener("hashchange", revealTarget);
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[href*='#']");
    // The same hash again fires no hashchange: reveal after the browser followed the link.
    if (link && link.hash === window.location.hash && link.pathname === window.location.pathname) {
      setTimeout(revealTarget, 0);
    }
  });

  function onReady() {
    offerLocalCopies(document);
    if (window.location.hash) revealTarget();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onReady);
  } else {
    onReady();
  }

  // A row or list that htmx swapped in: offer its local copies, and put the keyboard where
  // the person goes on: the first field of a form that opened, or the Edit link of a row
  // that closed.
  const FIELDS = "input:not([type=hidden]):not([disabled]), textarea, select";
  document.addEventListener("htmx:load", (event) => {
    const el = event.detail.elt;
    if (!(el instanceof Element) || !el.matches(".ws-row, .ws-list")) return;
    offerLocalCopies(el);
    const marked = el.matches("[data-focus]") ? el : el.querySelector("[data-focus]");
    if (!marked) return;
    const focus = marked.dataset.focus;
    const scope = focus === "add" ? marked.querySelector(".ws-add form") : marked;
    if (!scope) return;
    const target = focus === "edit"
      ? scope.querySelector(".ws-edit-link")
      : scope.querySelector(".has-error :is(input, textarea, select), [aria-invalid=true]") || scope.querySelector(FIELDS);
    if (target) target.focus();
  });
})();
