/** The zoom levels the header's buttons, Ctrl +/− and the settings screen's picker step through. */
export const ZOOM_STEPS: readonly number[] = [0.67, 0.75, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3]
