// The code page, live: delivery status, failure, attempts left and the resend countdown, from /signup/events.
// Without JavaScript the page still works: everything is rendered by the server first.
"use strict";
(function () {
  const page = document.querySelector("[data-verify]");
  if (!page) return;
  const delivery = document.getElementById("delivery");
  const deliveryText = document.getElementById("delivery-text");
  const failure = document.getElementById("failure");
  const failureText = document.getElementById("failure-text");
  const attempts = document.getElementById("attempts-left");
  const resend = document.getElementById("resend");
  const countdown = document.getElementById("resend-countdown");
  let resendAt = null;
  let ended = false;

  function tick() {
    if (ended) {
      resend.disabled = false;
      resend.textContent = "Send a new code";
      countdown.textContent = "";
      return;
    }
    if (resendAt === null) {
      resend.disabled = true;
      countdown.textContent = "No more codes can be sent for this verification.";
      return;
    }
    const left = Math.ceil((resendAt - Date.now()) / 1000);
    resend.disabled = left > 0;
    countdown.textContent = left > 0 ? "You can ask for a new code in " + left + " s" : "";
  }

  function apply(s) {
    delivery.dataset.status = s.delivery;
    deliveryText.textContent = s.deliveryText;
    failure.hidden = !s.failure;
    failureText.textContent = s.failure || "";
    ended = s.status !== "pending";
    if (!ended && s.attemptsLeft < s.maxAttempts) {
      attempts.hidden = false;
      attempts.textContent = s.attemptsLeft === 1 ? "1 attempt left" : s.attemptsLeft + " attempts left";
    }
    resendAt = s.resendInSeconds === null ? null : Date.now() + s.resendInSeconds * 1000;
    tick();
  }

  const initial = page.dataset.resendIn;
  ended = initial === "" && resend.textContent.trim() === "Send a new code";
  resendAt = initial === "" ? null : Date.now() + Number(initial) * 1000;
  tick();
  setInterval(tick, 1000);

  if ("EventSource" in window) {
    const source = new EventSource(page.dataset.events);
    source.addEventListener("status", function (e) {
      const s = JSON.parse(e.data);
      apply(s);
      if (s.status !== "pending") source.close();
    });
  }
})();
