// Mounts the course app on the placeholders the mdbook-course preprocessor wrote into this page.
// Pages without placeholders load nothing; pages with a lab load the lab bundle (which also plays
// quizzes and shows the overview); the progress overview loads the progress bundle; other pages
// with quizzes load the quiz bundle.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = new URL(".", script ? script.src : document.baseURI);
  function start() {
    var hasLab = document.querySelector(".course-lab") !== null;
    var hasProgress = document.querySelector(".course-progress") !== null;
    var hasQuiz = document.querySelector(".course-quiz") !== null;
    if (!hasLab && !hasProgress && !hasQuiz) return;
    // The lab bundle holds everything: it serves a page with a lab, or with quizzes and the
    // overview together.
    var name = hasLab || (hasProgress && hasQuiz) ? "course_lab" : hasProgress ? "course_progress" : "course_quiz";
    import(new URL("pkg/" + name + ".js", base).href)
      .then(function (bundle) {
        return bundle
          .default({ module_or_path: new URL("pkg/" + name + "_bg.wasm", base) })
          .then(function () {
            bundle.mount_all();
          });
      })
      .catch(function (err) {
        console.error("course: could not load the interactive elements:", err);
        document.querySelectorAll(".course-quiz, .course-lab, .course-progress").forEach(function (el) {
          var note = document.createElement("p");
          note.className = "course-load-error";
          note.setAttribute("role", "alert");
          note.textContent = "This interactive element could not be loaded. Reload the page to try again.";
          el.appendChild(note);
        });
      });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
