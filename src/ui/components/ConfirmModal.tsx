/** Asks before a destructive action, runs it, and shows splunkd's refusal in place if it fails. */
import React from 'react';
import Button from '@splunk/react-ui/Button';
import Message from '@splunk/react-ui/Message';
import Modal from '@splunk/react-ui/Modal';
import P from '@splunk/react-ui/Paragraph';
import { useAction } from './useAction';
import { useReturnFocus } from './useReturnFocus';

export interface ConfirmModalProps {
  title: string;
  children: React.ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

export function ConfirmModal({
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
}: ConfirmModalProps) {
  const returnFocus = useReturnFocus();
  const { busy, error, run } = useAction();

  return (
    <Modal
      open
      onRequestClose={onClose}
      returnFocus={returnFocus}
      style={{ width: 520 }}
      data-test="confirm-modal"
    >
      <Modal.Header title={title} />
      <Modal.Body>
        {error && (
          <Message type="error" data-test="confirm-error">
            {error}
          </Message>
        )}
        <P>{children}</P>
      </Modal.Body>
      <Modal.Footer>
        <Button
          appearance="secondary"
          label="Cancel"
          onClick={onClose}
          data-test="confirm-cancel"
        />
        <Button
          appearance="destructive"
          label={confirmLabel}
          onClick={() => run(onConfirm)}
          disabled={busy}
          data-test="confirm-ok"
        />
      </Modal.Footer>
    </Modal>
  );
}
