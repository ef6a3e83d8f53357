/** JSON inside a `<script type="application/json">`: `<` escaped so no `</script>` can close it. */
export const jsonForScript = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');
