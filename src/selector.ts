// PLACEHOLDER: the selector helper replaces this file with the full parser/printer/matcher.
/**
 * A Calico label selector.
 */
export class Selector {
  /** Matches every resource: `all()`. */
  public static all(): Selector { return new Selector('all()'); }
  /**
   * Parses Calico selector text.
   * @param text selector text
   */
  public static parse(text: string): Selector { return new Selector(text); }
  private constructor(private readonly text: string) {}
  /** Calico's canonical text for this selector. */
  public toString(): string { return this.text; }
}
