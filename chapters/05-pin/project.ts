/**
 * Pin projections (what the `pin-project` crate generates): from a pinned struct to its fields.
 *
 * Whether a field is *structurally pinned* is the struct author's decision, declared once per struct like
 * pin-project's `#[pin]` attribute: `pinned(offset)` fields are reached as `Pin<Ref<F>>` (they move only if the
 * struct moves, and the struct is pinned), `unpinned(offset)` fields as a plain `Ref<F>` (the struct's code may
 * move or replace them freely, so it must never rely on their address). The projection itself is the unsafe part
 * (`mapUnchecked`, `getUncheckedMut`) done once, correctly, so the code that uses the fields needs no `unsafe`.
 */
import { todo } from "#kit/todo";
import type { Pin } from "./pin.ts";
import type { Ref } from "./ref.ts";

/** Where a field starts, and whether it is structurally pinned. */
export interface FieldSpec {
  readonly offset: number;
  readonly pinned: boolean;
}

/** A structurally pinned field (`#[pin]`). */
export function pinned(offset: number): { readonly offset: number; readonly pinned: true } {
  return { offset, pinned: true };
}

/** A field that is not structurally pinned. */
export function unpinned(offset: number): { readonly offset: number; readonly pinned: false } {
  return { offset, pinned: false };
}

/** The fields of `S` named by `Spec`: pinned ones as `Pin<Ref<F>>`, the others as `Ref<F>`. */
export type Projection<S, Spec> = {
  readonly [K in keyof Spec & keyof S]: Spec[K] extends { readonly pinned: true } ? Pin<Ref<S[K]>> : Ref<S[K]>;
};

/**
 * Projects a pinned struct to its fields, as `Spec` declares them: for each entry of `spec`, a pinned field is
 * `self.mapUnchecked(offset)` and an unpinned one `self.getUncheckedMut().field(offset)`.
 */
export function project<S, Spec extends { readonly [K in keyof S]?: FieldSpec }>(
  self: Pin<Ref<S>>,
  spec: Spec,
): Projection<S, Spec> {
  return todo("05-pin", "project");
}
