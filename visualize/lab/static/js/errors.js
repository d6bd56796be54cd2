// An error the session (or a host) reports: a catalog message id and its parameters.
export class LabError extends Error {
  constructor(error) {
    super((error && error.text) || (error && error.id) || "error");
    this.id = (error && error.id) || "internal_error";
    this.params = (error && error.params) || {};
  }
}
