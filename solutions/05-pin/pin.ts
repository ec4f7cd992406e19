/**
 * `Pin<P>` and `Unpin`: a promise, written in the type, that the value behind `P` will not move again
 * (Rust's `core::pin`).
 *
 * `P` is a pointer: `Ref<T>` (`Pin<&mut T>`) or `Box<T>` (`Pin<Box<T>>`). A `Pin` gives out the pointer it
 * holds only when moving the value could not hurt: when `T` is `Unpin`. For a `!Unpin` value (one that may point
 * into itself, like an `async fn`'s state machine) the only ways in are the unsafe ones, named so:
 * `newUnchecked` (I promise this value will never move again) and `getUncheckedMut` (I promise not to move it
 * through this `Ref`).
 *
 * `Unpin` is an auto trait in Rust: every type is `Unpin` unless it contains something that is not, and
 * `PhantomPinned` is the marker that is not. `IsUnpin<T>` computes the same thing structurally over a type's
 * fields. Pointers (`Ref`, `Box`) are always `Unpin`: moving a pointer does not move what it points to.
 *
 * The guarantees are type-level, as in Rust: at run time a `Pin` is just its pointer.
 */
import type { Box } from "./boxed.ts";
import type { Address } from "./memory.ts";
import { Ref } from "./ref.ts";

declare const PINNED: unique symbol;

/** Rust's `PhantomPinned`: a field of this type makes a struct `!Unpin`. */
export interface PhantomPinned {
  readonly [PINNED]: true;
}

/** What a `Pin` can hold: a pointer to a value of any type (`any`, because `Ref` and `Box` are invariant in it). */
export type Pointer = Ref<any> | Box<any>;

/** `true` if `T` is `Unpin`: it contains no `PhantomPinned`, except behind a pointer. */
export type IsUnpin<T> = [T] extends [PhantomPinned]
  ? false
  : [T] extends [Pointer]
    ? true
    : T extends (...args: never[]) => unknown
      ? true
      : T extends object
        ? false extends { [K in keyof T]-?: IsUnpin<T[K]> }[keyof T]
          ? false
          : true
        : true;

/** The type a pointer points to. */
export type Target<P> = P extends Ref<infer T> ? T : P extends Box<infer T> ? T : never;

/** `unknown` for an `Unpin` target; for a `!Unpin` one, a property no value has, so the call does not type-check. */
type RequireUnpin<T> =
  IsUnpin<T> extends true
    ? unknown
    : { readonly "the value is !Unpin: pin it with Box.pin or pin(), or use the unchecked method": never };

export class Pin<P extends Pointer> {
  readonly #pointer: P;

  private constructor(pointer: P) {
    this.#pointer = pointer;
  }

  /** Pins a pointer to an `Unpin` value: safe, because pinning promises nothing for such a value. */
  static new<P extends Pointer>(pointer: P & RequireUnpin<Target<P>>): Pin<P> {
    return new Pin<P>(pointer);
  }

  /** Pins any pointer. Unsafe: the caller promises that the value will never move again until it is dropped. */
  static newUnchecked<P extends Pointer>(pointer: P): Pin<P> {
    return new Pin<P>(pointer);
  }

  /** Where the pinned value lives (reading an address moves nothing). */
  get address(): Address {
    return this.#pointer.address;
  }

  /** The `Ref` back, for an `Unpin` value only: moving it is harmless. */
  getMut<T>(this: Pin<Ref<T>> & RequireUnpin<T>): Ref<T> {
    return this.#pointer;
  }

  /** The `Ref` back, for any value. Unsafe: the caller must not move the value through it. */
  getUncheckedMut<T>(this: Pin<Ref<T>>): Ref<T> {
    return this.#pointer;
  }

  /** `Pin<Box<T>>` or `Pin<Ref<T>>` to `Pin<Ref<T>>`: a pinned reference to the same value, for one call. */
  asMut<T>(this: Pin<Ref<T>> | Pin<Box<T>>): Pin<Ref<T>> {
    const p = this.#pointer;
    return new Pin<Ref<T>>(p instanceof Ref ? p : p.asMut());
  }

  /**
   * `Pin::map_unchecked_mut`: a pinned pointer to the field `offset` words in. Unsafe: the caller promises the
   * field is structurally pinned (it is never moved out of the pinned struct).
   */
  mapUnchecked<F>(this: Pin<Ref<any>>, offset: number): Pin<Ref<F>> {
    return new Pin<Ref<F>>(this.#pointer.field<F>(offset));
  }

  /** Drops a pinned box: the value is dropped where it is, and its memory freed. */
  drop(this: Pin<Box<any>>): void {
    this.#pointer.drop();
  }
}

/**
 * `std::pin::pin!`: pins a value in a place of its own. It moves the value into a fresh place (the old `Ref` is
 * now moved-from, as the macro shadows the old binding) and returns the only way to reach it, a `Pin`.
 */
export function pin<T>(value: Ref<T>): Pin<Ref<T>> {
  return Pin.newUnchecked(value.move());
}
