// Sizes in the regulations are written "500MB", "01GB"; they are read as binary units.
export const MB = 1024 * 1024;
export const GB = 1024 * MB;
