import jsonata from 'jsonata';
import { compileFastPath, FALLBACK, FastScope, referencedNames } from '../../src/local/jsonata-fast-path';

/**
 * The fast path answers only where it agrees with jsonata: every expression below is evaluated
 * both ways on every scope, and wherever the fast path gives a value, jsonata gives the same
 * (and never throws). What it does not answer, it hands back (FALLBACK) for jsonata.
 */
const EXPRESSIONS = [
  '$states.input.orderId', '$states.input.customer.email', '$states.input.lines', '$states.input', '$orderId', '$states.input.nope.deeper',
  '$states.input.lines.sku', '$states.input.n.x', '$states.input.s.x', '$states.input.nested.one',
  '$count($states.input.lines)', '$count($states.input.nested)', '$count($states.input.nope)', '$count($states.input.n)', '$count($states.input.matrix)',
  '$merge([$states.input, {"pricing": $states.result}])', '$merge([$states.input, {"status": "reserved", "gone": $states.input.nope}])',
  '$merge([$states.input.customer, $states.input.nope])', '$merge($states.input.customer)', '$merge([$states.input.lines])', '$merge([])', '$merge($states.input.s)',
  '$states.input.total > 100', '$states.input.total <= 100', '$states.input.s < "y"', '$states.input.total > "1"', '$states.input.nope > 1',
  '$states.input.s = "x"', '$states.input.total != 150', '$states.input.customer = $states.input.customer', '$states.input.n = null', '$states.input.nope = 1',
  '$states.input.flag and $states.input.total > 1', '$states.input.flag or false', '$states.input.s and true',
  '"Order " & $orderId & " for " & $states.input.customer.email', '$states.input.s & $states.input.nope', '"t" & $states.input.total', '"f" & $states.input.price',
  '"b" & $states.input.flag & $states.input.n', '"o" & $states.input.customer',
  '$string($states.input.total)', '$string($states.input.price)', '$string($states.input.s)', '$string($states.input.n)', '$string($states.input.nope)', '$string($states.input.customer)',
  '$states.input.total + 1', '$states.input.total - $states.input.price', '$states.input.total * 2', '$states.input.total / 0', '$states.input.total / 4', '$states.input.s + 1',
  '{"a": $states.input.nope, "b": 1, "c": $states.input.lines}', '[$states.input.s, $states.input.nope, 1]', '[$states.input.lines]', '[[1, 2], 3]',
  '"literal"', '42', 'true', 'null',
  // Conditions, blocks, `in`, filters by index, and the functions the rollout engine uses.
  '$states.input.items[0]', '$x ? 1 : 2', '$states.input.flag ? "yes" : "no"', '$states.input.nope ? 1 : 2', '$states.input.s ? 1 : 2', '$states.input.flag ? 1',
  '($states.input.flag or $states.input.total > 1) and $states.input.s = "x"', '($states.input.s)', '($states.input.nope and true) or false',
  '$exists($states.input.s) ? $states.input.s : ""', '$exists($states.input.nope)', '$exists($states.input.n)', '$exists($states.input.lines)',
  '$contains($states.input.s, "x")', '$contains($string($states.input.total), "5")', '$contains($states.input.nope, "x")', '$contains($states.input.total, "1")',
  '$states.input.s in ["x", "y"]', '$states.input.nope in ["x"]', '$states.input.total in [150, 50]', '$states.input.customer in ["plain"]', '$states.input.s in "x"',
  '$states.input.lines[0].sku', '$states.input.lines[-1].sku', '$states.input.lines[5]', '$states.input.lines[1.7].quantity', '$states.input.customer[0]', '$states.input.nested[0]',
  '$states.input.lines[$states.input.n]', '$states.input.deep.a.b[0]', '$states.input.lines[$count($states.input.lines) - 1].quantity',
  '$split($states.input.arn, ":")[4]', '$split($states.input.arn, ":")', '$split($states.input.arn, ":")[-1]', '$split($states.input.nope, ":")[1]', '$split($states.input.total, ":")',
  '$round($states.input.price)', '$round(2.5)', '$round(3.5)', '$round(-2.5)', '$round(-0.4)', '$round($states.input.s)', '$round($states.input.nope)',
  '$min([60, $power(2, $states.input.total / 50)])', '$min([])', '$min($states.input.total)', '$min([1, "2"])', '$power(2, 4)', '$power(10, 400)', '$power($states.input.nope, 2)',
  '[$map($states.input.alarms, function($a) { { "Arn": $a, "Type": "AWS::CloudWatch::Alarm" } })]', '$map($states.input.alarms, function($a) { $a & "!" })',
  '[$map($states.input.nope, function($a) { $a })]', '$map($states.input.lines, function($l) { $l.sku })', '[$map($states.input.nested, function($n) { $n })]',
  '[$states.input.lines]', '[$states.input.alarms, "x"]',
  '$lookup({"x": 40, "z": 7}, $states.input.s)', '$lookup($states.input.customer, "email")', '$lookup($states.input.nope, "a")', '$lookup($states.input.lines, "sku")',
  '$exists($lookup({"x": 40}, $states.input.s)) ? $lookup({"x": 40}, $states.input.s) : 10', '$lookup({"a": 1}, $states.input.total)',
  // Shadowed builtins: a workflow variable named like the function wins in jsonata.
  '$count($states.input.lines)', '$string(1)',
];

const INPUTS: Record<string, unknown>[] = [
  {
    orderId: 'o-1', customer: { email: 'a@example.com' }, lines: [{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 2 }], total: 150, price: 12.5,
    s: 'x', n: null, flag: true, nested: [[1, 2], [3]], matrix: [[1]], deep: { a: { b: [1] } },
    arn: 'arn:aws:iam::123456789012:role/FleetDeployRole', alarms: ['arn:aws:cloudwatch:eu-west-1:1:alarm:a', 'arn:aws:cloudwatch:eu-west-1:1:alarm:b'],
  },
  { orderId: 7, customer: 'plain', lines: [], total: 50, price: 2.5, s: 'z', n: 0, flag: false, nested: [], matrix: [], arn: 'no-colons', alarms: ['one'] },
  { lines: { sku: 'single' }, total: '150', s: ['x'], customer: [{ email: 'in an array' }], price: -3.5, arn: ['a:b'], alarms: [] },
  {},
];

class Scope implements FastScope {
  constructor(readonly states: Record<string, unknown>, readonly variables: Record<string, unknown>) {}
  lookup(name: string): unknown {
    if (name === 'states') return this.states;
    return Object.prototype.hasOwnProperty.call(this.variables, name) ? this.variables[name] : FALLBACK;
  }
}

const SCOPES: Scope[] = INPUTS.flatMap((input) => [
  new Scope({ input, result: { total: 150 } }, { orderId: input.orderId }),
  new Scope({ input, result: [1, 2] }, { count: () => 99, string: 'shadow' }),
]);

async function viaJsonata(source: string, scope: Scope): Promise<{ value?: unknown; error?: string }> {
  try {
    const bindings: Record<string, unknown> = { ...scope.variables, states: scope.states };
    return { value: await jsonata(source).evaluate(undefined, bindings) };
  } catch (error) {
    return { error: (error as { code?: string }).code ?? String(error) };
  }
}

describe('the JSONata fast path', () => {
  test.each(EXPRESSIONS.map((source) => ({ source })))('GIVEN $source WHEN the fast path answers THEN jsonata gives the same value on every scope', async ({ source }) => {
    const fast = compileFastPath(jsonata(source).ast());
    for (const scope of SCOPES) {
      const answer = fast ? fast(scope) : FALLBACK;
      if (answer === FALLBACK) continue;
      // JSON form: jsonata marks its arrays (sequence flags), which JSON drops as the runtime's output does.
      const expected = await viaJsonata(source, scope);
      expect({ source, input: scope.states.input, answer: JSON.stringify(answer) }).toEqual({ source, input: scope.states.input, answer: JSON.stringify(expected.value) });
      expect(expected.error).toBeUndefined();
    }
  });

  test('GIVEN the expressions of the bench workflow WHEN compiled THEN each has a fast path that answers on its sample data', () => {
    const scope = SCOPES[0];
    const answered = [
      '$states.input.orderId', '$count($states.input.lines)', '$merge([$states.input, {"pricing": $states.result}])', '$states.input.total > 100',
      '"Order " & $orderId & " for " & $states.input.customer.email & ": " & $string($states.input.total) & " lines"',
    ].filter((source) => {
      const fast = compileFastPath(jsonata(source).ast());
      return fast !== undefined && fast(scope) !== FALLBACK;
    });
    expect(answered).toHaveLength(5);
  });

  test.each([
    ['$states.input.items[price > 1]'], ['$sum($states.input.lines.quantity)'], ['-$states.input.total'], ['($x := 1; $x)'], ['$split($states.input.s, /x/)'],
    ['$map($states.input.lines, function($l, $i) { $i })'], ['$round($states.input.price, 1)'], ['$now("[Y]")'],
    ['$states.input.lines.{"sku": sku}'], ['$partition($states.input.lines, 2)'], ['{$states.input.s: 1}'], ['$states.input.total % 2'],
  ])('GIVEN %s (outside the fast path) WHEN compiled THEN there is no fast path and jsonata evaluates it', (source) => {
    expect(compileFastPath(jsonata(source).ast())).toBeUndefined();
  });

  test('GIVEN an expression WHEN its names are read THEN they are every $name it mentions, builtins included', () => {
    expect(referencedNames(jsonata('$merge([$states.input, {"at": $now(), "by": $user}]) ~> $count()').ast()).sort()).toEqual(['count', 'merge', 'now', 'states', 'user']);
  });
});
