/** `--ubi-only` is the same as this suffix (its own module: the settings need it, not the naming rules). */
export const UBI_SUFFIX = '-ubi';
