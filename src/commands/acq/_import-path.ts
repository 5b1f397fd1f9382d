// alpenhorn's invalid_import_path: whether a name can be an acquisition/file path.

/** The rejection reason for `name` as an import path, or null when it is valid. */
export function invalidImportPath(name: string): string | null {
  if (name === "") return "empty path";
  if (name === "." || name === "..") return "invalid path";
  if (name.startsWith("/") || name.startsWith("./") || name.startsWith("../")) return "invalid start";
  if (name.endsWith("/") || name.endsWith("/.") || name.endsWith("/..")) return "invalid end";
  if (name.includes("//")) return "repeated /";
  if (name.includes("/./")) return 'invalid path element "."';
  if (name.includes("/../")) return 'invalid path element ".."';
  return null;
}
