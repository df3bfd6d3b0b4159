// A shop's catalog for the till benches: product names as a shop has them ("Duff Organic cola cherry 330 ml"), one
// EAN-13 each, prices 0.29–99.98, from a seeded generator so every run sells the same products.
import { mulberry32, pick } from '@tillwright/testkit';

export const BRANDS =
  'Acme Northwind Contoso Fabrikam Globex Initech Umbrella Hooli Vandelay Wonka Duff Krusty Zorg Bluth Prestige Alpine'.split(
    ' ',
  );
export const QUALIFIERS =
  'Organic Classic Light Extra Fresh Premium Smoked Salted Sparkling Wholegrain Vegan Spicy Sweet Frozen Dried Mini Eco Creamy Dark Golden'.split(
    ' ',
  );
export const NOUNS = (
  'milk yoghurt butter cheese cream bread rolls bagels croissant muffins cookies crackers crisps chocolate ' +
  'candy gum coffee tea cocoa juice water lemonade cola beer wine cider rice pasta noodles flour sugar salt pepper ' +
  'oil vinegar ketchup mustard soup beans lentils tomatoes potatoes onions garlic apples bananas oranges grapes ' +
  'pears lemons carrots lettuce spinach broccoli cucumber mushrooms sausages ham bacon chicken turkey beef salmon ' +
  'tuna eggs tofu granola muesli oats honey jam shampoo soap toothpaste razor tissues detergent sponges batteries ' +
  'candles matches notebook pen pencil marker envelopes tape glue scissors charger cable headphones socks gloves umbrella'
).split(' ');
export const VARIANTS =
  'vanilla strawberry raspberry lemon orange mango peach cherry coconut almond caramel mint ginger paprika cheddar basil rye spelt'.split(
    ' ',
  );
const SIZES = '100 g|250 g|500 g|1 kg|330 ml|500 ml|1 l|2 l|4 pack|6 pack|12 pack'.split('|');

/** A valid EAN-13 in the in-store range 20…, numbered `n`. */
export function ean13(n) {
  const body = `20${String(n).padStart(10, '0')}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
  return body + String((10 - (sum % 10)) % 10);
}

/** `count` products in HQ's import shape (PUT /v1/hq/catalog), barcodes ean13(1) … ean13(count). */
export function catalogProducts(count, seed) {
  const random = mulberry32(seed);
  return Array.from({ length: count }, (_, i) => {
    const parts = [pick(random, BRANDS)];
    if (random() < 0.6) parts.push(pick(random, QUALIFIERS));
    parts.push(pick(random, NOUNS));
    if (random() < 0.5) parts.push(pick(random, VARIANTS));
    parts.push(pick(random, SIZES));
    return {
      productId: `prod-${i + 1}`,
      sku: `SKU-${100_000 + i}`,
      name: parts.join(' '),
      barcodes: [ean13(i + 1)],
      currency: 'EUR',
      price: 29 + Math.floor(random() * 9_970),
      taxCategory: 'standard',
      tags: [],
      active: true,
    };
  });
}
