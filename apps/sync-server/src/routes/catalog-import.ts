import { parseMinorUnits } from '@tillwright/commerce';
import { CatalogProduct } from '@tillwright/protocol';
import { ApiError } from '../errors.js';

export type ImportedProduct = Omit<CatalogProduct, 'version'>;
const ImportRow = CatalogProduct.omit({ version: true });
const CSV_COLUMNS = [
  'productId',
  'sku',
  'name',
  'barcodes',
  'currency',
  'price',
  'taxCategory',
  'tags',
  'active',
] as const;

/**
 * Validates a whole import before anything is written: every bad row is reported with its number and problems,
 * and one bad row refuses the whole import. Rows are numbered from 1, or by `rowNumbers` when given (a CSV's rows
 * keep their place in the file even when blank lines were skipped).
 */
export function validateImport(rows: readonly unknown[], rowNumbers?: readonly number[]): ImportedProduct[] {
  const problems: { row: number; errors: string[] }[] = [];
  const products: ImportedProduct[] = [];
  const seen = new Set<string>();
  rows.forEach((row, index) => {
    const rowNumber = rowNumbers?.[index] ?? index + 1;
    const parsed = ImportRow.safeParse(row);
    if (!parsed.success) {
      problems.push({
        row: rowNumber,
        errors: parsed.error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`),
      });
      return;
    }
    if (seen.has(parsed.data.productId)) {
      problems.push({ row: rowNumber, errors: [`productId ${parsed.data.productId} appears twice`] });
      return;
    }
    seen.add(parsed.data.productId);
    products.push(parsed.data);
  });
  if (rows.length === 0) problems.push({ row: 0, errors: ['the import has no rows'] });
  if (problems.length > 0) {
    throw new ApiError(
      422,
      'import_invalid',
      `${problems.length} row(s) are invalid; nothing was imported`,
      false,
      {
        rows: problems.slice(0, 100),
      },
    );
  }
  return products;
}

/**
 * Reads the CSV import format: a header row naming the columns productId, sku, name, barcodes, currency, price,
 * taxCategory, tags, active; lists separated by "|"; prices as decimals ("2.50"). RFC 4180 quoting. Blank lines are
 * skipped; `rowNumbers` gives each row's place after the header (1 = the first record after it), for the report.
 */
export function csvToRows(text: string): { rows: unknown[]; rowNumbers: number[] } {
  const records = parseCsv(text);
  const header = records.shift();
  if (!header || CSV_COLUMNS.some((column, i) => header[i]?.trim() !== column)) {
    throw new ApiError(422, 'import_invalid', `the CSV header must be: ${CSV_COLUMNS.join(',')}`, false);
  }
  const kept = records
    .map((record, index) => ({ record, rowNumber: index + 1 }))
    .filter(({ record }) => record.some((cell) => cell.trim() !== ''));
  const rows = kept.map(({ record }) => {
    const cell = (column: (typeof CSV_COLUMNS)[number]) => record[CSV_COLUMNS.indexOf(column)]?.trim() ?? '';
    const currency = cell('currency');
    let price: unknown = cell('price');
    try {
      price = parseMinorUnits(cell('price'), currency);
    } catch {
      // left as text: the row's validation reports it with the rest of the row's problems
    }
    const list = (value: string) => (value === '' ? [] : value.split('|').map((item) => item.trim()));
    return {
      productId: cell('productId'),
      sku: cell('sku'),
      name: cell('name'),
      barcodes: list(cell('barcodes')),
      currency,
      price,
      taxCategory: cell('taxCategory'),
      tags: list(cell('tags')),
      active: cell('active') === 'true' ? true : cell('active') === 'false' ? false : cell('active'),
    };
  });
  return { rows, rowNumbers: kept.map(({ rowNumber }) => rowNumber) };
}

function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
    } else cell += char;
  }
  if (quoted) throw new ApiError(422, 'import_invalid', 'the CSV ends inside a quoted cell', false);
  if (cell !== '' || record.length > 0) {
    record.push(cell);
    records.push(record);
  }
  return records;
}
