// A labelled group of pressed/unpressed buttons (one choice at a time): the
// group's name is what a screen reader announces before the options.
interface Option<T extends string> {
  value: T;
  label: string;
}

interface Props<T extends string> {
  label: string;
  value: T;
  options: Array<Option<T>>;
  onChange: (value: T) => void;
  testId?: string;
}

export function ToggleGroup<T extends string>({ label, value, options, onChange, testId }: Props<T>) {
  return (
    <div className="seg" role="group" aria-label={label} data-testid={testId}>
      {options.map((o) => (
        <button key={o.value} type="button" aria-pressed={value === o.value} onClick={() => onChange(o.value)}>
          {o.label}
        </button>
      ))}
    </div>
  );
}
