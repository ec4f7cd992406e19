/**
 * Chapter 04: a parker and `blockOn`.
 */
export { Parker, type Park } from "./park.ts";
export { blockOn } from "./block-on.ts";
