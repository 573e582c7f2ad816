// khabar's only script, and an optional one: every page works without it.
// Filter forms leave out the fields left empty, so a shared link holds only the filters in use
// (/events?type=ASSAULT rather than /events?since=&until=&type=ASSAULT&...).
const filterForms = () => document.querySelectorAll("form.filters");

document.addEventListener("DOMContentLoaded", () => {
  for (const form of filterForms()) {
    form.addEventListener("submit", () => {
      for (const field of form.elements) {
        if (field.name && field.value === "") {
          field.disabled = true;
        }
      }
    });
  }
});

// Coming back with the browser's Back button restores the page as it was left: enable the fields again.
window.addEventListener("pageshow", () => {
  for (const form of filterForms()) {
    for (const field of form.elements) {
      field.disabled = false;
    }
  }
});
