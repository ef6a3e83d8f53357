// Builds UpdateItem expressions with every attribute name behind a placeholder: `state`, `owner`
// and `snapshot` are DynamoDB reserved words, and placeholders everywhere is simpler than a list.

export interface Expression {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

export const updateExpression = (set: Record<string, unknown>, remove: string[] = []): Expression => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const assignments = Object.entries(set).map(([name, value]) => {
    names[`#${name}`] = name;
    values[`:${name}`] = value;
    return `#${name} = :${name}`;
  });
  for (const name of remove) names[`#${name}`] = name;
  const parts: string[] = [];
  if (assignments.length > 0) parts.push(`SET ${assignments.join(', ')}`);
  if (remove.length > 0) parts.push(`REMOVE ${remove.map((name) => `#${name}`).join(', ')}`);
  return { expression: parts.join(' '), names, values };
};

/** `#name = :cond_name AND ...`, with placeholders distinct from the update's. */
export const equalsCondition = (expected: Record<string, unknown>): Expression => {
  const names: Record<string, string> = { '#pk': 'pk' };
  const values: Record<string, unknown> = {};
  const terms = ['attribute_exists(#pk)'];
  for (const [name, value] of Object.entries(expected)) {
    names[`#${name}`] = name;
    values[`:cond_${name}`] = value;
    terms.push(`#${name} = :cond_${name}`);
  }
  return { expression: terms.join(' AND '), names, values };
};
