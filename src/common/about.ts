// Fixed texts of the process edge: the version banner with alpenhorn's licence block, and
// the --help-config text.

export const VERSION = "2.0.0";

const LICENCE = `Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`;

/** `alpenhorn {version} ({runtime})`, an empty line, the licence, an empty line. */
export function versionText(): string {
  return `alpenhorn ${VERSION} (alpenhorn-ts on Bun ${Bun.version})\n\n${LICENCE}\n`;
}

export const HELP_CONFIG_TEXT = `Configuration

alpenhorn reads YAML configuration files from these places, in this order;
a later file overrides an earlier one (mappings merge, lists concatenate):

  - /etc/alpenhorn/alpenhorn.conf
  - /etc/xdg/alpenhorn/alpenhorn.conf
  - ~/.config/alpenhorn/alpenhorn.conf
  - the file named by the environment variable ALPENHORN_CONFIG_FILE
  - the file given with -c / --conf

With --test-isolation the first three are skipped. At least one file must
exist.

The database connection is configured like this:

  database:
    url: mysql://user:passwd@hostname:port/my_database

or, for an embedded SQLite index:

  database:
    url: sqlite:////absolute/path/to/index.db

Extensions are listed by name (a built-in such as pattern_importer) or by
the path of a TypeScript or JavaScript module:

  extensions:
    - pattern_importer
    - /opt/alpenhorn/my_extension.ts

The database connection (and the extensions) are the only parts of the
configuration the CLI uses; the daemon (alpenhorn serve) reads the rest.
`;
