/** PLACEHOLDER (to be replaced by the chapter 10 author): the network a selector runs over. */
export interface Network {
  readonly kind: "simulated" | "node";
}
