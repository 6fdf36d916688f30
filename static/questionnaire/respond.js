// Read aloud: the browser's own speech synthesis (Web Speech API), so nothing leaves the
// device. A progressive enhancement: the button stays hidden where speech is unavailable.
(() => {
  if (!("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") {
    return;
  }
  const voices = { nl: "nl-NL", en: "en-GB", ar: "ar", ti: "ti" };
  const pageLang = (document.documentElement.lang || "nl").slice(0, 2);
  document.querySelectorAll("[data-read-aloud]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => {
      window.speechSynthesis.cancel();
      document.querySelectorAll("[data-read]").forEach((element) => {
        const text = element.textContent.trim();
        if (!text) {
          return;
        }
        const utterance = new SpeechSynthesisUtterance(text);
        const lang = element.dataset.readLang || pageLang;
        utterance.lang = voices[lang] || voices.nl;
        utterance.rate = 0.9;
        window.speechSynthesis.speak(utterance);
      });
    });
  });
})();
