/** File names shared by the engine and the step worker process. */
export const ERROR_FILE = '_error.json';
