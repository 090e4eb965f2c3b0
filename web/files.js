// Saving text as a file and picking one file, in the page alone: nothing goes over the network.

// Offers `text` as a download named `fileName`.
export function downloadText(fileName, mimeType, text) {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The browser reads the blob after the click returns: revoking at once can leave an empty
  // download in some browsers, so the URL lives a moment longer.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// Asks for one file; resolves to the File, or to null when the chooser is cancelled (browsers
// that fire no "cancel" event on file inputs leave the promise pending until a later pick).
// Must run soon after a user gesture (a click), like any file chooser.
export function pickFile(accept = '') {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.hidden = true;
    const done = (file) => {
      input.remove();
      resolve(file);
    };
    input.addEventListener('change', () => done(input.files && input.files.length ? input.files[0] : null), { once: true });
    input.addEventListener('cancel', () => done(null), { once: true });
    document.body.appendChild(input);  // some browsers open no chooser for a detached input
    input.click();
  });
}
