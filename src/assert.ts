/** Ends an exhaustive `switch`: adding a member to a union makes every such switch fail to compile. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}
