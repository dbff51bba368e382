// jamsosbot dashboard: small progressive enhancements; every page works without this file.
"use strict";

// Desktop: the menu is always open. Phone: it is a <details> the person opens.
function openMenuOnWideScreens() {
  const menu = document.querySelector("details.menu");
  if (menu && window.matchMedia("(min-width: 48rem)").matches) menu.open = true;
}

// Forms with data-live="URL": post them (with their CSRF token) while the person types and
// put the HTML answer into the element named by data-target (the announcement preview).
function liveForms() {
  for (const form of document.querySelectorAll("form[data-live]")) {
    const target = document.getElementById(form.dataset.target);
    let timer = null;
    const refresh = async () => {
      const response = await fetch(form.dataset.live, {
        method: "POST", body: new FormData(form), credentials: "same-origin",
      });
      if (response.ok && target) target.innerHTML = await response.text();
    };
    const button = form.querySelector("[data-preview]");
    if (button) button.addEventListener("click", refresh);
    form.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, 300);
    });
  }
}

// Elements with data-poll="URL": reload their HTML every few seconds (live progress).
function polling() {
  for (const element of document.querySelectorAll("[data-poll]")) {
    const tick = async () => {
      const response = await fetch(element.dataset.poll, { credentials: "same-origin" });
      if (response.ok) element.innerHTML = await response.text();
      if (!element.querySelector("[data-done]")) setTimeout(tick, 2000);
    };
    if (!element.querySelector("[data-done]")) setTimeout(tick, 2000);
  }
}

// Buttons with data-confirm: ask before submitting (cancel, revoke).
function confirmations() {
  for (const button of document.querySelectorAll("button[data-confirm]")) {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  }
}

// "Answer this" on a question group fills the FAQ form's question.
function useExamples() {
  const field = document.getElementById("question");
  for (const link of document.querySelectorAll("a.use-example")) {
    link.addEventListener("click", () => { if (field) field.value = link.dataset.example; });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  useExamples();
  openMenuOnWideScreens();
  liveForms();
  polling();
  confirmations();
});
