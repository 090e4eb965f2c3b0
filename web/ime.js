// A DOM text field kept over the Dear ImGui text input being edited. A canvas cannot receive
// input-method composition (pinyin and the like), so while an ImGui text input is active this
// field has the focus: the input method composes there, and committed text goes to ImGui as
// characters. ImGui still draws the text, caret and selection; the field shows only the text
// being composed. Keys other than text reach ImGui through web/input.js.

// Names the field for web/input.js, which forwards keys from it differently from other fields.
export const isImeField = (el) => el instanceof HTMLInputElement && el.id === 'ime-field';

export function attachIme(M, canvas) {
  const field = document.createElement('input');
  field.id = 'ime-field';
  field.type = 'text';
  field.hidden = true;
  field.tabIndex = -1;  // reached by clicking the ImGui widget, never by the browser's Tab
  field.autocomplete = 'off';
  field.spellcheck = false;
  field.setAttribute('autocapitalize', 'off');
  field.setAttribute('autocorrect', 'off');
  field.setAttribute('aria-label', 'text input');
  document.body.appendChild(field);
  let active = false;

  // Sends the field's text to ImGui and empties the field, so it only ever holds new text.
  const commit = (fallback = '') => {
    const text = field.value || fallback;
    field.value = '';
    if (!text) return;
    const n = M.lengthBytesUTF8(text) + 1;
    const p = M._malloc(n) >>> 0;  // unsigned: the heap may pass 2 GiB
    M.stringToUTF8(text, p, n);
    M._segx_input_text(p);
    M._free(p);
  };

  // Typed or pasted text; text being composed waits for compositionend.
  field.addEventListener('input', (e) => {
    if (!e.isComposing) commit();
  });
  field.addEventListener('compositionstart', () => field.classList.add('composing'));
  field.addEventListener('compositionend', (e) => {
    field.classList.remove('composing');
    commit(e.data || '');
  });
  // A click on the canvas would take the focus; while the edit lasts it belongs here. (When the
  // click ended the edit, the module says so after the next frame and the canvas gets it back.)
  field.addEventListener('blur', (e) => {
    if (active && e.relatedTarget === canvas) field.focus({ preventScroll: true });
  });

  // Called by the module when an ImGui text input becomes active, moves, or stops being edited.
  // The rectangle is in framebuffer pixels.
  M.segxTextField = (isActive, x, y, w, h) => {
    active = isActive;
    if (!active) {
      const hadFocus = document.activeElement === field;
      field.value = '';
      field.classList.remove('composing');
      if (hadFocus) canvas.focus({ preventScroll: true });
      field.hidden = true;
      return;
    }
    const r = canvas.getBoundingClientRect();
    const scale = canvas.clientWidth ? canvas.width / canvas.clientWidth : 1;
    const hCss = h / scale;
    Object.assign(field.style, {
      left: `${r.left + x / scale}px`,
      top: `${r.top + y / scale}px`,
      width: `${w / scale}px`,
      height: `${hCss}px`,
      fontSize: `${Math.max(8, Math.round(hCss * 0.62))}px`,
    });
    field.hidden = false;
    if (document.activeElement !== field) field.focus({ preventScroll: true });
  };
}
