"use strict";
// The editors' workbench, enhanced (templates/admin/articles/article/workbench.html):
// a sentence's "Make a claim" link fills the form on this page instead of opening the
// full add form, selecting words in a sentence narrows the quote to them (whole
// words), and the form saves without leaving the page, so claims can be made one after
// another. Without this file every link and form still works.
{
    const wordChar = /[\p{L}\p{N}_]/u;
    let chosen = null; // the sentence the form is filled from

    function form() {
        return document.getElementById("quick-claim-form");
    }

    function announce(text) {
        const status = document.getElementById("workbench-status");
        if (status) {
            status.textContent = text;
        }
    }

    function choose(sentence) {
        document.querySelectorAll(".sentence.chosen").forEach((li) => li.classList.remove("chosen"));
        chosen = sentence;
        sentence?.classList.add("chosen");
    }

    // Fill the form from a sentence's link: its address holds every suggestion.
    function fillFrom(link) {
        const f = form();
        if (!f) {
            return false;
        }
        const params = new URL(link.href, location.href).searchParams;
        f.elements.quote.value = params.get("quote") || "";
        f.elements.statement.value = "";
        f.elements.kind.value = params.get("kind") || "other";
        f.elements.occurred_on.value = params.get("occurred_on") || "";
        f.elements.date_precision.value = params.get("date_precision") || "";
        f.elements.event.value = params.get("event") || "";
        const actors = new Set(params.getAll("actor"));
        f.querySelectorAll("input[name=actors]").forEach((box) => {
            box.checked = actors.has(box.value);
        });
        choose(link.closest(".sentence"));
        return true;
    }

    document.addEventListener("click", (event) => {
        const link = event.target.closest("a.make-claim");
        if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) {
            return;
        }
        if (fillFrom(link)) {
            event.preventDefault();
            announce("The form below is filled in from this sentence. Write the statement.");
            form().elements.statement.focus();
        }
    });

    // Where a DOM position stands in the sentence's text.
    function offsetIn(element, node, offset) {
        const range = document.createRange();
        range.selectNodeContents(element);
        range.setEnd(node, offset);
        return range.toString().length;
    }

    function narrow() {
        const selection = document.getSelection();
        if (!selection || selection.isCollapsed || !form()) {
            return;
        }
        const range = selection.getRangeAt(0);
        const start = range.startContainer.parentElement?.closest(".sentence-text");
        const end = range.endContainer.parentElement?.closest(".sentence-text");
        if (!start || start !== end) {
            return;
        }
        const text = start.textContent;
        let from = offsetIn(start, range.startContainer, range.startOffset);
        let to = offsetIn(start, range.endContainer, range.endOffset);
        // Out to whole words, as a quote must be.
        const inWord = (i) => i >= 0 && i < text.length && wordChar.test(text[i]);
        while (inWord(from - 1) && inWord(from)) from--;
        while (inWord(to) && inWord(to - 1)) to++;
        const quote = text.slice(from, to).trim();
        if (!quote) {
            return;
        }
        const sentence = start.closest(".sentence");
        if (sentence !== chosen) {
            const link = sentence.querySelector("a.make-claim");
            if (!link) {
                return;
            }
            fillFrom(link);
        }
        form().elements.quote.value = quote;
        announce(`Quote narrowed to the selection: ${quote.length} characters.`);
    }

    document.addEventListener("mouseup", narrow);
    document.addEventListener("keyup", (event) => {
        if (event.shiftKey) {
            narrow();
        }
    });

    // Save without leaving the page: the answer (the workbench again, after the
    // redirect) replaces this one's content, with the new claim's quote marked.
    document.addEventListener("submit", async (event) => {
        const f = event.target;
        if (f.id !== "quick-claim-form") {
            return;
        }
        event.preventDefault();
        const button = f.querySelector("button[type=submit]");
        button.disabled = true;
        try {
            // Not f.action: the form's field named "action" hides that property.
            const response = await fetch(location.pathname, {
                method: "POST",
                body: new FormData(f),
                credentials: "same-origin",
            });
            const page = new DOMParser().parseFromString(await response.text(), "text/html");
            const fresh = page.getElementById("workbench");
            if (!response.ok || !fresh) {
                throw new Error(`status ${response.status}`);
            }
            const kept = chosen?.id;
            document.getElementById("workbench").replaceWith(fresh);
            const saved = !fresh.querySelector("#quick-claim-form .errorlist");
            if (!saved && kept) {
                choose(document.getElementById(kept));
            }
            const status = document.getElementById("workbench-status");
            const firstError = fresh.querySelector("#quick-claim-form .errors textarea, #quick-claim-form .errors select, #quick-claim-form .errors input");
            (saved ? status : firstError || status).focus();
        } catch (error) {
            button.disabled = false;
            announce(`The claim could not be saved (${error.message}). Try again.`);
        }
    });
}
