// Forwards DOM input to Dear ImGui in the WASM module: pointer, wheel, keys, text, clipboard,
// focus. Coordinates are sent in framebuffer pixels (the canvas draws at device resolution).
// While an ImGui text input is edited, the focus is in web/ime.js's field: its text arrives
// through that field, and its other keys come here.
import { isImeField } from './ime.js';

// Keys Dear ImGui navigates or edits with: the browser must not also act on them.
const kNavigationKeys = new Set([8, 9, 13, 27, 32, 33, 34, 35, 36, 37, 38, 39, 40, 45, 46]);

export function attachInput(M, canvas) {
  let pendingCopy = null;  // text Dear ImGui copied during the current copy shortcut
  let inCopyShortcut = false;

  const toCanvas = (e) => {
    const r = canvas.getBoundingClientRect();
    const sx = r.width ? canvas.width / r.width : 1;
    const sy = r.height ? canvas.height / r.height : 1;
    return [(e.clientX - r.left) * sx, (e.clientY - r.top) * sy];
  };
  const mods = (e) => (e.ctrlKey ? 1 : 0) | (e.shiftKey ? 2 : 0) | (e.altKey ? 4 : 0) | (e.metaKey ? 8 : 0);
  // DOM buttons: 0 left, 1 middle, 2 right. Dear ImGui: 0 left, 1 right, 2 middle.
  const button = (b) => (b === 1 ? 2 : b === 2 ? 1 : b);

  canvas.addEventListener('pointermove', (e) => M._segx_input_mouse_pos(...toCanvas(e)));
  canvas.addEventListener('pointerdown', (e) => {
    // The text field keeps the focus while ImGui edits text (a click inside moves the caret);
    // when the click ends the edit, web/ime.js hands the focus back to the canvas.
    if (!isImeField(document.activeElement)) canvas.focus();
    canvas.setPointerCapture?.(e.pointerId);
    M._segx_input_mouse_pos(...toCanvas(e));
    M._segx_input_mouse_button(button(e.button), 1);
    e.preventDefault();
  });
  window.addEventListener('pointerup', (e) => {
    M._segx_input_mouse_pos(...toCanvas(e));
    M._segx_input_mouse_button(button(e.button), 0);
  });
  canvas.addEventListener('pointerleave', () => M._segx_input_mouse_pos(-1e30, -1e30));
  canvas.addEventListener('contextmenu', (e) => e.preventDefault());
  canvas.addEventListener(
    'wheel',
    (e) => {
      // Pixel deltas of about 100 per notch; Dear ImGui scrolls a few lines per unit.
      const unit = e.deltaMode === 1 ? 3 : e.deltaMode === 2 ? 0.1 : 100;
      M._segx_input_wheel(-e.deltaX / unit, -e.deltaY / unit);
      e.preventDefault();
    },
    { passive: false },
  );

  window.addEventListener('keydown', (e) => {
    const inIme = isImeField(e.target);
    if (!inIme && (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement)) return;
    // Keys that drive an input method's composition belong to it alone.
    if (inIme && (e.isComposing || e.keyCode === 229)) return;
    M._segx_input_key(e.keyCode, 1, mods(e));
    const shortcut = e.ctrlKey || e.metaKey;
    if (shortcut && (e.keyCode === 67 || e.keyCode === 88)) {
      // Run the frame now so the copied text is ready for the copy event that follows.
      inCopyShortcut = true;
      M._segx_run_frame();
      inCopyShortcut = false;
      return;  // default action: the browser fires "copy"/"cut"
    }
    if (shortcut && e.keyCode === 86) return;  // default action: "paste" with the clipboard text
    const printable = !shortcut && !e.altKey && e.key.length > 0 && [...e.key].length === 1;
    if (printable && inIme) return;  // the field's input event brings the text
    if (printable) {
      M._segx_input_char(e.key.codePointAt(0));
      e.preventDefault();
    } else if (kNavigationKeys.has(e.keyCode) || (shortcut && (e.keyCode === 65 || e.keyCode === 89 || e.keyCode === 90))) {
      e.preventDefault();
    }
  });
  window.addEventListener('keyup', (e) => M._segx_input_key(e.keyCode, 0, mods(e)));
  window.addEventListener('focus', () => M._segx_input_focus(1));
  window.addEventListener('blur', () => M._segx_input_focus(0));

  const onCopy = (e) => {
    if (pendingCopy === null) return;
    e.clipboardData.setData('text/plain', pendingCopy);
    pendingCopy = null;
    e.preventDefault();
  };
  document.addEventListener('copy', onCopy);
  document.addEventListener('cut', onCopy);
  document.addEventListener('paste', (e) => {
    const text = e.clipboardData ? e.clipboardData.getData('text/plain') : '';
    const n = M.lengthBytesUTF8(text) + 1;
    const p = M._malloc(n) >>> 0;  // unsigned: the heap may pass 2 GiB
    M.stringToUTF8(text, p, n);
    M._segx_clipboard_set(p);
    M._free(p);
    e.preventDefault();
  });

  // Called by the module whenever Dear ImGui copies text.
  M.segxClipboardWrite = (text) => {
    if (inCopyShortcut) {
      pendingCopy = text;
    } else if (navigator.clipboard && window.isSecureContext) {
      // A "Copy" button: the click is the user gesture the async clipboard needs.
      navigator.clipboard.writeText(text).catch(() => {});
    }
  };
}
