/** A labelled form row in Splunk's layout: label left, control, help or error text below. */
import React from 'react';
import ControlGroup from '@splunk/react-ui/ControlGroup';

export interface FormFieldProps {
  label: string;
  required?: boolean;
  error?: string;
  help?: React.ReactNode;
  children: React.ReactNode;
}

export function FormField({ label, required, error, help, children }: FormFieldProps) {
  return (
    <ControlGroup
      label={label}
      labelPosition="left"
      labelWidth={160}
      required={required}
      error={error ?? false}
      help={error ? undefined : help}
    >
      {children}
    </ControlGroup>
  );
}
