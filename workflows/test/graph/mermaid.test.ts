import { describeRule, MermaidDefinitionError, toMermaid } from '../../src/graph';

/** The diagram's lines, for exact comparison with readable failures. */
const lines = (definition: object | string) => toMermaid(definition).trimEnd().split('\n');

const CLASS_DEFS = [
  '  classDef succeed fill:#dff5e1,stroke:#2e7d32',
  '  classDef fail fill:#fde2e1,stroke:#c62828',
  '  classDef marker fill:#333,stroke:#333,color:#fff',
];

describe('toMermaid', () => {
  test('a Task, a Choice with a default, a Wait, Succeed and Fail, with a Catch', () => {
    // GIVEN
    const definition = {
      StartAt: 'Load order',
      States: {
        'Load order': {
          Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Next: 'Big order?',
          Catch: [{ ErrorEquals: ['OrderNotFound', 'States.Timeout'], Next: 'Rejected' }],
        },
        'Big order?': {
          Type: 'Choice',
          Choices: [{ Variable: '$.total', NumericGreaterThan: 100, Next: 'Cool down' }],
          Default: 'Done',
        },
        'Cool down': { Type: 'Wait', Seconds: 3600, Next: 'Done' },
        'Done': { Type: 'Succeed' },
        'Rejected': { Type: 'Fail', Error: 'Rejected' },
      },
    };

    // WHEN / THEN
    expect(lines(definition)).toEqual([
      'flowchart TD',
      '  start(("start"))',
      '  s_Load_order["Load order"]',
      '  s_Big_order_{"Big order?"}',
      '  s_Cool_down{{"Cool down<br/>wait 1 h"}}',
      '  s_Done(["Done"])',
      '  s_Rejected(["Rejected"])',
      '  finish((("end")))',
      '  start --> s_Load_order',
      '  s_Load_order --> s_Big_order_',
      '  s_Load_order -.->|"OrderNotFound, States.Timeout"| s_Rejected',
      '  s_Big_order_ -->|"$.total > 100"| s_Cool_down',
      '  s_Big_order_ -->|"default"| s_Done',
      '  s_Cool_down --> s_Done',
      '  s_Done --> finish',
      '  s_Rejected --> finish',
      ...CLASS_DEFS,
      '  class s_Done succeed',
      '  class s_Rejected fail',
      '  class start,finish marker',
    ]);
  });

  test('Parallel branches and a Map item processor are subgraphs with their own start and end', () => {
    // GIVEN
    const definition = {
      StartAt: 'Fan out',
      States: {
        'Fan out': {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Tag', States: { Tag: { Type: 'Pass', Parameters: { 'id.$': '$.id' }, End: true } } },
            {
              StartAt: 'Each line',
              States: {
                'Each line': {
                  Type: 'Map', ItemsPath: '$.lines', End: true,
                  ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Price', States: { Price: { Type: 'Task', Resource: 'arn:aws:lambda:eu-west-1:1:function:price', End: true } } },
                },
              },
            },
          ],
          End: true,
        },
      },
    };

    // WHEN / THEN
    expect(lines(definition)).toEqual([
      'flowchart TD',
      '  start(("start"))',
      '  subgraph s_Fan_out["Fan out (Parallel)"]',
      '    subgraph s_Fan_out_b0["branch 1"]',
      '      s_Fan_out_b0_start(("start"))',
      '      s_Tag[/"Tag"/]',
      '      s_Fan_out_b0_end((("end")))',
      '    end',
      '    subgraph s_Fan_out_b1["branch 2"]',
      '      s_Fan_out_b1_start(("start"))',
      '      subgraph s_Each_line["Each line (Map)"]',
      '        subgraph s_Each_line_items["each item"]',
      '          s_Each_line_items_start(("start"))',
      '          s_Price["Price"]',
      '          s_Each_line_items_end((("end")))',
      '        end',
      '      end',
      '      s_Fan_out_b1_end((("end")))',
      '    end',
      '  end',
      '  finish((("end")))',
      '  start --> s_Fan_out',
      '  s_Fan_out_b0_start --> s_Tag',
      '  s_Tag --> s_Fan_out_b0_end',
      '  s_Fan_out_b1_start --> s_Each_line',
      '  s_Each_line_items_start --> s_Price',
      '  s_Price --> s_Each_line_items_end',
      '  s_Each_line --> s_Fan_out_b1_end',
      '  s_Fan_out --> finish',
      ...CLASS_DEFS,
      '  class s_Fan_out_b0_start,s_Fan_out_b0_end,s_Each_line_items_start,s_Each_line_items_end,s_Fan_out_b1_start,s_Fan_out_b1_end,start,finish marker',
    ]);
  });

  test('JSONata conditions, a distributed Map (legacy Iterator too), keyword-like and colliding names, quotes escaped', () => {
    // GIVEN
    const definition = JSON.stringify({
      QueryLanguage: 'JSONata',
      StartAt: 'end',
      States: {
        'end': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.kind = "a" %}', Next: 'a-b' }], Default: 'a b' },
        'a-b': {
          Type: 'Map', Next: 'a b',
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Each', States: { Each: { Type: 'Pass', End: true } } },
        },
        'a b': { Type: 'Map', End: true, Iterator: { StartAt: 'Old', States: { Old: { Type: 'Succeed' } } } },
      },
    });

    // WHEN / THEN
    expect(lines(definition)).toEqual([
      'flowchart TD',
      '  start(("start"))',
      '  s_end{"end"}',
      '  subgraph s_a_b["a-b (Distributed Map)"]',
      '    subgraph s_a_b_items["each item"]',
      '      s_a_b_items_start(("start"))',
      '      s_Each[/"Each"/]',
      '      s_a_b_items_end((("end")))',
      '    end',
      '  end',
      '  subgraph s_a_b_2["a b (Map)"]',
      '    subgraph s_a_b_2_items["each item"]',
      '      s_a_b_2_items_start(("start"))',
      '      s_Old(["Old"])',
      '      s_a_b_2_items_end((("end")))',
      '    end',
      '  end',
      '  finish((("end")))',
      '  start --> s_end',
      '  s_end -->|"$states.input.kind = #quot;a#quot;"| s_a_b',
      '  s_end -->|"default"| s_a_b_2',
      '  s_a_b --> s_a_b_2',
      '  s_a_b_items_start --> s_Each',
      '  s_Each --> s_a_b_items_end',
      '  s_a_b_2_items_start --> s_Old',
      '  s_Old --> s_a_b_2_items_end',
      '  s_a_b_2 --> finish',
      ...CLASS_DEFS,
      '  class s_Old succeed',
      '  class s_a_b_items_start,s_a_b_items_end,s_a_b_2_items_start,s_a_b_2_items_end,start,finish marker',
    ]);
  });

  test('is deterministic', () => {
    const definition = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Succeed' } } };
    expect(toMermaid(definition)).toBe(toMermaid(JSON.parse(JSON.stringify(definition))));
  });

  test('a definition that cannot be drawn names where, shows the value and says the fix', () => {
    expect(() => toMermaid('{"StartAt":')).toThrow(MermaidDefinitionError);
    expect(() => toMermaid({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' } } })).toThrow(
      'States.A.Next: names "B", which is not a state of States. Fix: name one of "A".',
    );
    expect(() => toMermaid({ StartAt: 'B', States: { A: { Type: 'Pass', End: true } } })).toThrow(
      'StartAt: names "B", which is not a state of States. Fix: name one of "A".',
    );
    expect(() => toMermaid({ StartAt: 'A', States: { A: { Type: 'Loop', End: true } } })).toThrow(
      'States.A.Type: is not a state type, got "Loop". Fix: use Task, Pass, Choice, Wait, Succeed, Fail, Parallel or Map.',
    );
  });
});

describe('describeRule (Choice edge labels)', () => {
  test.each([
    [{ Variable: '$.ok', BooleanEquals: true }, '$.ok == true'],
    [{ Variable: '$.name', StringEquals: 'x' }, '$.name == "x"'],
    [{ Variable: '$.n', NumericLessThanEqualsPath: '$.max' }, '$.n <= $.max'],
    [{ Variable: '$.at', TimestampGreaterThan: '2024-01-01T00:00:00Z' }, '$.at > "2024-01-01T00:00:00Z"'],
    [{ Variable: '$.file', StringMatches: '*.csv' }, '$.file matches "*.csv"'],
    [{ Variable: '$.id', IsPresent: true }, '$.id present'],
    [{ Variable: '$.id', IsPresent: false }, '$.id not present'],
    [{ Variable: '$.id', IsNull: true }, '$.id is null'],
    [{ Variable: '$.id', IsString: false }, '$.id not string'],
    [{ And: [{ Variable: '$.a', IsPresent: true }, { Or: [{ Variable: '$.b', NumericEquals: 1 }, { Variable: '$.b', NumericEquals: 2 }] }] }, '$.a present and ($.b == 1 or $.b == 2)'],
    [{ Not: { Variable: '$.a', IsPresent: true } }, 'not ($.a present)'],
    [{ Condition: '{% $count($states.input.items) > 0 %}' }, '$count($states.input.items) > 0'],
  ])('%j -> %s', (rule, expected) => {
    expect(describeRule(rule)).toBe(expected);
  });

  test('long conditions are cut at 48 characters', () => {
    const definition = {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.detail.shipment.destination.country', StringEquals: 'Luxembourg', Next: 'D' }], Default: 'D' },
        D: { Type: 'Succeed' },
      },
    };
    expect(toMermaid(definition)).toContain('  s_C -->|"$.detail.shipment.destination.country == #quot;Luxem…"| s_D\n');
  });
});
