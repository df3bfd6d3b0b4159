import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { TillState } from './cart-store.js';
import { CredentialsForm } from './PinPad.js';
import { useDialogFocus } from './use-dialog.js';
import { capitalised } from './words.js';

const APPROVAL_IDS = {
  number: 'approval-number',
  pin: 'approval-pin',
  submit: 'approve',
  error: 'approval-error',
};

/**
 * Over the screen when the host answered `approval_required`: what needs approval and who asked, and another
 * employee's number and PIN. Approve makes the same call again with them; Cancel (Esc) drops it. Either way the
 * cashier is back where they were.
 */
export function ApprovalDialog({ store }: { store: StoreApi<TillState> }) {
  const approval = useStore(store, (state) => state.approval);
  const container = useDialogFocus<HTMLDivElement>();
  if (!approval) return null;
  const { needed } = approval;
  return (
    <div
      className="overlay"
      role="dialog"
      aria-modal="true"
      aria-labelledby="approval-title"
      data-testid="approval-dialog"
    >
      <div className="sheet approval" ref={container}>
        <h1 id="approval-title" data-testid="approval-what">
          {capitalised(needed.what)} needs approval
        </h1>
        <p className="lead" data-testid="approval-requested-by">
          Asked by <strong>{needed.requestedBy}</strong>. Someone who may approve it enters their number and
          PIN.
        </p>
        <CredentialsForm
          ids={APPROVAL_IDS}
          numberLabel="Approver's employee number"
          submitLabel="Approve"
          fixedNumber={null}
          busy={approval.busy}
          error={approval.error}
          onSubmit={(number, pin) => store.getState().approve({ number, pin })}
          onCancel={() => store.getState().cancelApproval()}
          onEdit={() => store.getState().clearApprovalError()}
        >
          <button
            type="button"
            data-testid="approval-cancel"
            disabled={approval.busy}
            onClick={() => store.getState().cancelApproval()}
          >
            Cancel <kbd>Esc</kbd>
          </button>
        </CredentialsForm>
      </div>
    </div>
  );
}
