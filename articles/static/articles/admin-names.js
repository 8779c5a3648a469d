"use strict";
// Accessible names for select2 4.0.13 (Django's autocomplete fields), which leaves its
// combobox and the text box inside it unnamed while nothing is chosen, and the search
// box of a multiple choice unlabelled. Each takes the name of the field: its <label>,
// or the select's own aria-label (tabular inlines).
{
    const $ = django.jQuery;
    let labels = 0;

    function nameSelect2(select) {
        const container = $(select).data("select2")?.$container?.[0];
        if (!container) {
            return;
        }
        const label = select.id && document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
        const name = label
            ? label.textContent.replace(/:\s*$/, "").trim()
            : select.getAttribute("aria-label") || select.name;
        const combobox = container.querySelector('[role="combobox"]');
        const rendered = container.querySelector('[role="textbox"]');
        if (label && combobox && rendered) {
            // "Source: Demo Wire": the field, then what is chosen.
            label.id ||= `select2-label-${++labels}`;
            combobox.setAttribute("aria-labelledby", `${label.id} ${rendered.id}`);
        } else if (combobox) {
            combobox.removeAttribute("aria-labelledby");
            combobox.setAttribute("aria-label", name);
        }
        rendered?.setAttribute("aria-label", name);
        container.querySelector(".select2-search__field")?.setAttribute("aria-label", name);
    }

    // After admin/js/autocomplete.js, which starts select2 in the same two places.
    $(function () {
        $(".admin-autocomplete").not("[name*=__prefix__]").each((i, select) => nameSelect2(select));
    });
    document.addEventListener("formset:added", (event) => {
        $(event.target).find(".admin-autocomplete").each((i, select) => nameSelect2(select));
    });
}
