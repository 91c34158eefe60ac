// The code page, live: delivery status, failure, attempts left, the resend countdown, the SMS notice and "Send by SMS
// instead", from /signup/events.
// Without JavaScript the page still works: everything is rendered by the server first.
"use strict";
(function () {
  const page = document.querySelector("[data-verify]");
  // Only the code stage changes live; the others (change the number, start again) are final until a post.
  if (!page || page.dataset.stage !== "code") return;
  const delivery = document.getElementById("delivery");
  const deliveryText = document.getElementById("delivery-text");
  const failure = document.getElementById("failure");
  const failureText = document.getElementById("failure-text");
  const attempts = document.getElementById("attempts-left");
  const codeError = document.getElementById("code-error");
  const resend = document.getElementById("resend");
  const countdown = document.getElementById("resend-countdown");
  const ready = document.getElementById("resend-ready");
  const heading = document.getElementById("heading");
  const smsNotice = document.getElementById("sms-notice");
  const smsOffer = document.getElementById("sms-offer");
  let resendAt = null;
  let smsOfferTimer = null;
  let waiting = false;
  let submitting = false;

  // The countdown is shown, not announced each second: a screen reader hears once that a new code can be asked for.
  function tick() {
    if (resendAt === null) {
      resend.disabled = true;
      countdown.textContent = "No more codes can be sent for this verification.";
      return;
    }
    const left = Math.ceil((resendAt - Date.now()) / 1000);
    resend.disabled = left > 0;
    countdown.textContent = left > 0 ? "You can ask for a new code in " + left + " s" : "";
    if (left > 0) {
      waiting = true;
    } else if (waiting) {
      waiting = false;
      ready.textContent = "You can ask for a new code now.";
    }
  }

  // The server says in how many seconds the offer is due (its clock, not the browser's); it shows at that moment, and
  // any later status (delivered, the code gone by SMS) decides again.
  function offerSms(seconds) {
    clearTimeout(smsOfferTimer);
    // A button appearing is not announced by itself: said once, as the resend's readiness is.
    if (seconds === 0 && smsOffer.hidden) ready.textContent = "You can have the code sent by SMS instead.";
    smsOffer.hidden = seconds !== 0;
    if (seconds > 0) smsOfferTimer = setTimeout(function () { offerSms(0); }, seconds * 1000);
  }

  function apply(s) {
    // A form on its way (the code, change number) changes the stage itself: its answer is the page to show, and
    // reloading now would cancel it.
    if (submitting) return;
    if (s.stage !== page.dataset.stage) {
      // A new stage (the number cannot get the code, no attempts left, approved elsewhere): the server renders it whole,
      // with its own heading, actions and focus. A GET: nothing is posted again.
      location.replace(location.href);
      return;
    }
    delivery.dataset.status = s.delivery;
    deliveryText.textContent = s.deliveryText;
    failure.hidden = !s.failure;
    failureText.textContent = s.failure || "";
    // With an error under the field, the error says how many attempts are left: not twice.
    if (!codeError && s.attemptsLeft < s.maxAttempts) {
      attempts.hidden = false;
      attempts.textContent = s.attemptsLeft === 1 ? "1 attempt left" : s.attemptsLeft + " attempts left";
    }
    resendAt = s.resendInSeconds === null ? null : Date.now() + s.resendInSeconds * 1000;
    tick();
    // Written only when it changes, so a screen reader says it once; the heading then says where the code went.
    if (smsNotice.textContent !== (s.smsNotice || "")) {
      smsNotice.textContent = s.smsNotice || "";
      if (s.smsNotice) heading.textContent = page.dataset.smsHeading;
    }
    offerSms(s.smsOfferInSeconds);
  }

  const initial = page.dataset.resendIn;
  resendAt = initial === "" ? null : Date.now() + Number(initial) * 1000;
  tick();
  setInterval(tick, 1000);
  const initialOffer = page.dataset.smsOfferIn;
  offerSms(initialOffer === "" ? null : Number(initialOffer));

  document.addEventListener("submit", function () { submitting = true; });

  if ("EventSource" in window) {
    const source = new EventSource(page.dataset.events);
    source.addEventListener("status", function (e) {
      const s = JSON.parse(e.data);
      if (s.status !== "pending" || s.stage !== page.dataset.stage) source.close();
      apply(s);
    });
  }
})();
