// Typeset the formulas that pymdownx.arithmatex (generic mode) wrapped in
// elements of class "arithmatex": \( ... \) inline and \[ ... \] display.
// Only those elements are touched, so a dollar sign in prose stays a dollar
// sign. Material's document$ fires on every page load, instant loading too.
document$.subscribe(({ body }) => {
  body.querySelectorAll(".arithmatex").forEach((element) => {
    renderMathInElement(element, {
      delimiters: [
        { left: "\\(", right: "\\)", display: false },
        { left: "\\[", right: "\\]", display: true },
      ],
      throwOnError: false,
    });
  });
});
