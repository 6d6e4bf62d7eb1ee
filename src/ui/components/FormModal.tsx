/**
 * The frame of the setup page's add/edit forms: a Modal with title, splunkd's refusal shown above
 * the fields (where the fix is made), and Cancel / Save. Saving runs only when the form's own
 * checks pass; while it runs Save says so; a failure keeps the form open with the message.
 */
import React from 'react';
import Button from '@splunk/react-ui/Button';
import Message from '@splunk/react-ui/Message';
import Modal from '@splunk/react-ui/Modal';
import { useAction } from './useAction';
import { useReturnFocus } from './useReturnFocus';

export interface FormModalProps {
  title: string;
  subtitle: string;
  width: number;
  /** Prefix of the data-test hooks: `<testId>-modal`, `-error`, `-cancel`, `-save`. */
  testId: string;
  /** The form's own checks found something to fix: Save only shows it. */
  invalid: boolean;
  /** Called on every Save, before anything is sent: the form starts showing its field errors. */
  onAttempt: () => void;
  /** Sends the form to splunkd; a rejection is shown above the fields. */
  onSave: () => Promise<void>;
  onClose: () => void;
  children: React.ReactNode;
}

export function FormModal({
  title,
  subtitle,
  width,
  testId,
  invalid,
  onAttempt,
  onSave,
  onClose,
  children,
}: FormModalProps) {
  const returnFocus = useReturnFocus();
  const { busy: saving, error: serverError, run } = useAction();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    onAttempt();
    if (!invalid) void run(onSave);
  }

  return (
    <Modal
      open
      onRequestClose={onClose}
      returnFocus={returnFocus}
      style={{ width }}
      data-test={`${testId}-modal`}
    >
      <form onSubmit={submit} noValidate>
        <Modal.Header title={title} subtitle={subtitle} />
        <Modal.Body>
          {serverError && (
            <Message type="error" data-test={`${testId}-error`}>
              {serverError}
            </Message>
          )}
          {children}
        </Modal.Body>
        <Modal.Footer>
          <Button
            appearance="secondary"
            label="Cancel"
            onClick={onClose}
            data-test={`${testId}-cancel`}
          />
          <Button
            appearance="primary"
            type="submit"
            label={saving ? 'Saving…' : 'Save'}
            disabled={saving}
            data-test={`${testId}-save`}
          />
        </Modal.Footer>
      </form>
    </Modal>
  );
}
