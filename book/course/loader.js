// Mounts the course app on the placeholders the mdbook-course preprocessor wrote into this page.
// Pages without placeholders load nothing; pages with a lab load the lab bundle (which also plays
// quizzes); other pages with quizzes or the progress overview load the smaller quiz bundle.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = new URL(".", script ? script.src : document.baseURI);
  function start() {
    var hasLab = document.querySelector(".course-lab") !== null;
    var hasQuiz = document.querySelector(".course-quiz, .course-progress") !== null;
    if (!hasLab && !hasQuiz) return;
    var name = hasLab ? "course_lab" : "course_quiz";
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
