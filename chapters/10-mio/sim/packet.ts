/** The packets of the simulated network: what one socket sends to another. */
export const SYN = 0;
export const DATA = 1;
export const FIN = 2;
export const RST = 3;
export type PacketKind = typeof SYN | typeof DATA | typeof FIN | typeof RST;
