/** The title row of a tab: heading and description on the left, the main action on the right. */
import React from 'react';
import Heading from '@splunk/react-ui/Heading';
import P from '@splunk/react-ui/Paragraph';

export interface PanelHeaderProps {
  title: string;
  description: React.ReactNode;
  action?: React.ReactNode;
}

export function PanelHeader({ title, description, action }: PanelHeaderProps) {
  return (
    <div
      style={{
        display: 'flex',
        alignItems: 'flex-start',
        justifyContent: 'space-between',
        gap: 24,
        marginBottom: 12,
      }}
    >
      <div>
        <Heading level={2}>{title}</Heading>
        <P>{description}</P>
      </div>
      {action && <div style={{ flex: 'none', paddingTop: 8 }}>{action}</div>}
    </div>
  );
}
