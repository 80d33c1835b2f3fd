/** Runs `fn` after the frame being drawn now: soon, but never ahead of what that frame shows. */
export const afterNextFrame = (fn: () => void): void => {
  requestAnimationFrame(() => setTimeout(fn));
};
