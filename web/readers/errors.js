// One error type for every reader, so the page can show "file: problem" and also use the parts.
export class ReadError extends Error {
  constructor(file, problem) {
    super(`${file}: ${problem}`);
    this.name = 'ReadError';
    this.file = file;
    this.problem = problem;
  }
}
