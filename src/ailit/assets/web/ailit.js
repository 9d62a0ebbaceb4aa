/* ailit: the self-check quiz. Works offline, keyboard-usable (native radio buttons), and
   announces right or wrong through an aria-live region. Without this file every answer's
   feedback is simply shown under it. */
(function () {
  "use strict";
  document.documentElement.classList.add("ailit-js");

  function setUp(quiz) {
    var right = quiz.getAttribute("data-right") || "Right!";
    var wrong = quiz.getAttribute("data-wrong") || "Not quite.";
    quiz.querySelectorAll(".ailit-quiz-question").forEach(function (question) {
      var result = question.querySelector(".ailit-quiz-result");
      question.addEventListener("change", function (event) {
        var chosen = event.target.closest(".ailit-quiz-answer");
        if (!chosen) return;
        question.querySelectorAll(".ailit-quiz-answer").forEach(function (answer) {
          answer.classList.toggle("is-chosen", answer === chosen);
        });
        var ok = chosen.getAttribute("data-correct") === "true";
        question.classList.toggle("is-right", ok);
        question.classList.toggle("is-wrong", !ok);
        var feedback = chosen.querySelector(".ailit-quiz-feedback");
        /* seen: right or wrong (the feedback is shown under the answer);
           heard: both, since screen readers announce the live region only */
        result.textContent = ok ? right : wrong;
        var spoken = document.createElement("span");
        spoken.className = "ailit-sr";
        spoken.textContent = " " + (feedback ? feedback.textContent.trim() : "");
        result.appendChild(spoken);
      });
    });
  }

  function ready() {
    document.querySelectorAll(".ailit-quiz").forEach(setUp);
  }
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(ready);  /* Material's page-load stream */
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
