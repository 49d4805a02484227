"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(), nullable=False),
    sa.Column('action', sa.String(), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)

    op.create_table('customer',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('name_key', sa.String(), nullable=False),
    sa.Column('phone', sa.String(), nullable=True),
    sa.Column('email', sa.String(), nullable=True),
    sa.Column('birthday', sa.Date(), nullable=True),
    sa.Column('consent', sa.Boolean(), nullable=False),
    sa.Column('consent_at', sa.DateTime(), nullable=True),
    sa.Column('referrer_id', sa.String(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_terminal_id', sa.String(), nullable=True),
    sa.Column('erased_at', sa.DateTime(), nullable=True),
    sa.Column('balance', sa.Integer(), nullable=False),
    sa.Column('lifetime_paid', sa.Integer(), nullable=False),
    sa.Column('visits', sa.Integer(), nullable=False),
    sa.Column('last_visit_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['referrer_id'], ['customer.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.create_index('ix_customer_name_key', ['name_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_phone'), ['phone'], unique=False)

    op.create_table('journal_event',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('terminal_id', sa.String(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('type', sa.String(), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('schema_version', sa.Integer(), nullable=False),
    sa.Column('applied_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('terminal_id', 'seq', name='uq_journal_terminal_seq')
    )
    with op.batch_alter_table('journal_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_journal_event_terminal_id'), ['terminal_id'], unique=False)

    op.create_table('program_version',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('rules', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(), nullable=False),
    sa.Column('note', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('version')
    )
    op.create_table('shop_setting',
    sa.Column('key', sa.String(), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('staff',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('role', sa.String(), nullable=False),
    sa.Column('pin_hash', sa.String(), nullable=False),
    sa.Column('failed_attempts', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('terminal',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('is_local', sa.Boolean(), nullable=False),
    sa.Column('next_card_serial', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('terminal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_terminal_number'), ['number'], unique=False)

    op.create_table('card',
    sa.Column('number', sa.String(), nullable=False),
    sa.Column('customer_id', sa.String(), nullable=True),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('assigned_at', sa.DateTime(), nullable=True),
    sa.Column('status_reason', sa.String(), nullable=False),
    sa.Column('terminal_id', sa.String(), nullable=True),
    sa.Column('batch', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.PrimaryKeyConstraint('number')
    )
    with op.batch_alter_table('card', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_card_customer_id'), ['customer_id'], unique=False)

    op.create_table('feedback',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('customer_id', sa.String(), nullable=True),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('text', sa.String(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('resolution', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_customer_id'), ['customer_id'], unique=False)

    op.create_table('ledger_entry',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('customer_id', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('purchase_id', sa.String(), nullable=True),
    sa.Column('refund_id', sa.String(), nullable=True),
    sa.Column('lot_id', sa.String(), nullable=True),
    sa.Column('reason', sa.String(), nullable=False),
    sa.Column('birthday_year', sa.Integer(), nullable=True),
    sa.Column('program_version', sa.Integer(), nullable=True),
    sa.Column('terminal_id', sa.String(), nullable=True),
    sa.Column('created_by', sa.String(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ledger_entry', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_customer_time', ['customer_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_entry_purchase_id'), ['purchase_id'], unique=False)

    op.create_table('points_lot',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('customer_id', sa.String(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('remaining', sa.Integer(), nullable=False),
    sa.Column('granted_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('points_lot', schema=None) as batch_op:
        batch_op.create_index('ix_lot_customer_live', ['customer_id', 'remaining', 'expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_points_lot_expires_at'), ['expires_at'], unique=False)

    op.create_table('purchase',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('customer_id', sa.String(), nullable=True),
    sa.Column('card_number', sa.String(), nullable=True),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('discount', sa.Integer(), nullable=False),
    sa.Column('points_redeemed', sa.Integer(), nullable=False),
    sa.Column('redeemed_value', sa.Integer(), nullable=False),
    sa.Column('paid', sa.Integer(), nullable=False),
    sa.Column('points_earned', sa.Integer(), nullable=False),
    sa.Column('bonus_points', sa.Integer(), nullable=False),
    sa.Column('program_version', sa.Integer(), nullable=False),
    sa.Column('tier', sa.String(), nullable=False),
    sa.Column('explanation', sa.String(), nullable=False),
    sa.Column('category', sa.String(), nullable=True),
    sa.Column('cashier_id', sa.String(), nullable=True),
    sa.Column('terminal_id', sa.String(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('refunded_amount', sa.Integer(), nullable=False),
    sa.Column('balance_after', sa.Integer(), nullable=False),
    sa.Column('tier_after', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['program_version'], ['program_version.version'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('purchase', schema=None) as batch_op:
        batch_op.create_index('ix_purchase_customer_time', ['customer_id', 'created_at'], unique=False)
        batch_op.create_index('ix_purchase_time', ['created_at'], unique=False)

    op.create_table('lot_movement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.String(), nullable=False),
    sa.Column('lot_id', sa.String(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['ledger_entry.id'], ),
    sa.ForeignKeyConstraint(['lot_id'], ['points_lot.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('lot_movement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lot_movement_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lot_movement_lot_id'), ['lot_id'], unique=False)

    op.create_table('nps_response',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('customer_id', sa.String(), nullable=True),
    sa.Column('purchase_id', sa.String(), nullable=True),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['purchase_id'], ['purchase.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('nps_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nps_response_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_nps_response_customer_id'), ['customer_id'], unique=False)

    op.create_table('refund',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('purchase_id', sa.String(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('money_returned', sa.Integer(), nullable=False),
    sa.Column('points_returned', sa.Integer(), nullable=False),
    sa.Column('points_reversed', sa.Integer(), nullable=False),
    sa.Column('bonus_reversed', sa.Integer(), nullable=False),
    sa.Column('cashier_id', sa.String(), nullable=True),
    sa.Column('terminal_id', sa.String(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['purchase_id'], ['purchase.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refund_purchase_id'), ['purchase_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refund_purchase_id'))

    op.drop_table('refund')
    with op.batch_alter_table('nps_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nps_response_customer_id'))
        batch_op.drop_index(batch_op.f('ix_nps_response_created_at'))

    op.drop_table('nps_response')
    with op.batch_alter_table('lot_movement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lot_movement_lot_id'))
        batch_op.drop_index(batch_op.f('ix_lot_movement_entry_id'))

    op.drop_table('lot_movement')
    with op.batch_alter_table('purchase', schema=None) as batch_op:
        batch_op.drop_index('ix_purchase_time')
        batch_op.drop_index('ix_purchase_customer_time')

    op.drop_table('purchase')
    with op.batch_alter_table('points_lot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_points_lot_expires_at'))
        batch_op.drop_index('ix_lot_customer_live')

    op.drop_table('points_lot')
    with op.batch_alter_table('ledger_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_entry_purchase_id'))
        batch_op.drop_index('ix_ledger_customer_time')

    op.drop_table('ledger_entry')
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_customer_id'))

    op.drop_table('feedback')
    with op.batch_alter_table('card', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_card_customer_id'))

    op.drop_table('card')
    with op.batch_alter_table('terminal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_terminal_number'))

    op.drop_table('terminal')
    op.drop_table('staff')
    op.drop_table('shop_setting')
    op.drop_table('program_version')
    with op.batch_alter_table('journal_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_journal_event_terminal_id'))

    op.drop_table('journal_event')
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_phone'))
        batch_op.drop_index('ix_customer_name_key')

    op.drop_table('customer')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
