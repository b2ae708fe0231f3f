/**
 * Consistency constant 1/Φ⁻¹(3/4) ≈ 1.4826 that turns a raw MAD into an estimate of the standard
 * deviation of normal data (Hampel 1974; R's `mad` default `constant = 1.4826`).
 */
export const MAD_NORMAL_CONSISTENCY = 1.4826;
