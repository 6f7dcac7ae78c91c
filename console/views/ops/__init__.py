"""What the views ask of the core, grouped by domain and typed.

As Anki's aqt/operations: a view does not build a lambda over a service
call; it calls one small function here that names the operation, runs it
through the Runner (a read on the pool, a write on the writer) and hands
its typed result to a callback on the GUI thread. A workflow action is a
value (``queue.Take()``, ``queue.Assign(member_id)``...), not a name and an
untyped argument, so a menu, a button, a shortcut and the bulk bar all
produce the same thing and mypy checks what each carries.

Modules:
    queue: the workflow actions on conversations (take, assign, status,
        snooze, tag, priority) and how they are applied.
    overview: the window's own reads (who I am, the sidebar's counts and
        sections, the accounts' states).
"""
