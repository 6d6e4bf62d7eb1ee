/** A labelled text box: the form row every text setting of the setup page uses. */
import React from 'react';
import Text from '@splunk/react-ui/Text';
import { FormField } from './FormField';

export interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** Shown under the box, and turns it red. */
  error?: string;
  help?: React.ReactNode;
  required?: boolean;
  disabled?: boolean;
  placeholder?: string;
  type?: 'text' | 'password';
  testId: string;
}

export function TextField({
  label,
  value,
  onChange,
  error,
  help,
  required,
  disabled,
  placeholder,
  type,
  testId,
}: TextFieldProps) {
  return (
    <FormField label={label} required={required} error={error} help={help}>
      <Text
        value={value}
        onChange={(_, data) => onChange(data.value)}
        error={!!error}
        disabled={disabled}
        placeholder={placeholder}
        type={type}
        data-test={testId}
      />
    </FormField>
  );
}
