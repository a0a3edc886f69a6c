"""Homework notebooks checked automatically: questions, release, grading, feedback.

Where each idea lives:

- ``questions``: a question's points and hidden test; ``check`` (the student's) and
  ``hidden_test`` (the grader's); ``hw1``, ``hw2``, ``hw3`` hold each assignment's tests;
- ``cells``: how a notebook marks its answer, check and hidden-test cells (cell metadata);
- ``release``: the instructor copy -> the student's (solutions and hidden tests removed);
- ``grade``: one submission in a fresh kernel, then the hidden tests; ``runner``: many
  submissions, each in its own process with time and memory limits, in parallel;
- ``feedback``, ``gradebook``: what the students and the instructor get back;
- ``cli``: ``lecturekit homework release`` and ``lecturekit homework grade``.

This package sits above the library areas whose functions it tests (it imports them as
references); nothing in the library imports it.
"""

from .questions import check, hidden_test, questions, score

__all__ = ["check", "hidden_test", "questions", "score"]
